namespace Exchange.Silo.Api.Auth;

public static class ApiRole
{
    public const string Fan = "fan";
    public const string Celebrity = "celebrity";
    public const string Operator = "operator";

    public static readonly string[] All = [Fan, Celebrity, Operator];
}
