namespace Exchange.Silo.Api.Auth;

/// <summary>
/// A key as stored: never the secret itself, only its SHA-256 hash. <see cref="Role"/> is the stored role, which for a
/// read-only key says so (<see cref="ApiRole.Stored"/>).
/// </summary>
public sealed record ApiKey(string KeyId, byte[] SecretHash, string AccountId, string Role, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    /// <summary>The role the key acts in: fan, celebrity or operator.</summary>
    public string AccessRole => ApiRole.Parse(Role).Role;

    /// <summary>A key for apps that only show the account: it may read what its role may read, and change nothing.</summary>
    public bool ReadOnly => ApiRole.Parse(Role).ReadOnly;
}
