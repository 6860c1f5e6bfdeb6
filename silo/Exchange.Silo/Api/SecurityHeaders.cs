using Exchange.Silo.Api.Auth;

namespace Exchange.Silo.Api;

/// <summary>
/// Response headers that tell browsers what the exchange's pages may do: never be framed by another site (a click on
/// the order form could otherwise be stolen), never guess a content type, load script, style and data only from the
/// exchange itself, and not name the server. The Orleans dashboard is not ours to restrict further than framing.
/// </summary>
public static class SecurityHeaders
{
    public static HeaderPolicyCollection ForSite() => new HeaderPolicyCollection()
        .AddDefaultSecurityHeaders()
        .AddContentSecurityPolicy(csp =>
        {
            csp.AddDefaultSrc().Self();
            csp.AddObjectSrc().None();
            csp.AddBaseUri().None();
            csp.AddFormAction().Self();
            csp.AddFrameAncestors().None();
        });

    public static HeaderPolicyCollection ForDashboard() => new HeaderPolicyCollection().AddDefaultSecurityHeaders();

    public static void UseExchangeSecurityHeaders(this WebApplication app)
    {
        var site = ForSite();
        var dashboard = ForDashboard();
        app.UseWhen(context => ApiKeyAuthenticationHandler.IsDashboard(context.Request), branch => branch.UseSecurityHeaders(dashboard));
        app.UseWhen(context => !ApiKeyAuthenticationHandler.IsDashboard(context.Request), branch => branch.UseSecurityHeaders(site));
    }
}
