using System.Net;

namespace Exchange.Client.Api;

/// <summary>The exchange refused a request; <see cref="Code"/> is the stable machine-readable reason.</summary>
public sealed class ExchangeApiException(HttpStatusCode status, string code, string detail)
    : Exception($"{(int)status} {code}: {detail}")
{
    public HttpStatusCode Status { get; } = status;

    public string Code { get; } = code;

    public string Detail { get; } = detail;
}
