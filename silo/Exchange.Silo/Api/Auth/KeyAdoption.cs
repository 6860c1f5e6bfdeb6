namespace Exchange.Silo.Api.Auth;

/// <summary>What became of a token a caller made itself and asked to use as its key.</summary>
public enum KeyAdoption
{
    Adopted,

    /// <summary>The same token for the same account and role was stored before: a repeated request.</summary>
    AlreadyAdopted,

    /// <summary>Another key has the token's id.</summary>
    IdTaken,
}
