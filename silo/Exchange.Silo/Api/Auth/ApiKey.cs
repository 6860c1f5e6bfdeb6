namespace Exchange.Silo.Api.Auth;

/// <summary>A key as stored: never the secret itself, only its SHA-256 hash.</summary>
public sealed record ApiKey(string KeyId, byte[] SecretHash, string AccountId, string Role, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
