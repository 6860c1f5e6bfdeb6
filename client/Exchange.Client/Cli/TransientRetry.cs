using System.Net;
using Exchange.Client.Api;
using Spectre.Console;

namespace Exchange.Client.Cli;

/// <summary>
/// Repeats a request that is safe to repeat while the exchange cannot answer it: a silo stopping or restarting (503,
/// or no connection at all), as in a rolling upgrade, for up to 15 s. Refusals stand; after the last attempt the
/// failure is the command's.
/// </summary>
public sealed class TransientRetry(IAnsiConsole console) : IRequestRetry
{
    private static readonly TimeSpan[] Pauses = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)];

    public async Task<T> RunAsync<T>(Func<Task<T>> request, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await request();
            }
            catch (Exception failure) when (attempt < Pauses.Length && !ct.IsCancellationRequested && IsTransient(failure))
            {
                console.MarkupLineInterpolated($"[grey]the exchange did not answer ({Reason(failure)}); repeating the request in {Pauses[attempt].TotalSeconds:0} s[/]");
                await Task.Delay(Pauses[attempt], ct);
            }
        }
    }

    private static bool IsTransient(Exception failure) => failure switch
    {
        // No connection, or one cut mid-answer; a name that does not resolve is a mistake to report at once.
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded } => true,
        ExchangeApiException refused => refused.Status == HttpStatusCode.ServiceUnavailable,
        _ => false,
    };

    private static string Reason(Exception failure) => failure is ExchangeApiException refused ? refused.Code : failure.Message;
}
