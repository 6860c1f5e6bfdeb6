namespace Exchange.Silo.Api.Auth;

public static class ApiRole
{
    public const string Fan = "fan";
    public const string Celebrity = "celebrity";
    public const string Operator = "operator";

    public static readonly string[] All = [Fan, Celebrity, Operator];

    /// <summary>Marks a stored role as read-only (see migration 0017 for why it is part of the role).</summary>
    private const string ReadOnlySuffix = ":read";

    /// <summary>The role as stored for a key of <paramref name="role"/> that may, or may only, read.</summary>
    public static string Stored(string role, bool readOnly) => readOnly ? role + ReadOnlySuffix : role;

    /// <summary>The role a stored role grants, and whether it grants reading only.</summary>
    public static (string Role, bool ReadOnly) Parse(string stored) =>
        stored.EndsWith(ReadOnlySuffix, StringComparison.Ordinal) ? (stored[..^ReadOnlySuffix.Length], true) : (stored, false);
}
