using System.Net;
using Exchange.Client.Api;
using Spectre.Console;

namespace Exchange.Client.Cli;

/// <summary>
/// Repeats an idempotent request while the exchange cannot answer it: a silo stopping or restarting (503, or no
/// connection at all), as in a rolling upgrade. Refusals stand; after the last attempt the failure is the command's.
/// </summary>
public static class TransientRetry
{
    private static readonly TimeSpan[] Pauses = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)];

    public static async Task<T> RunAsync<T>(IAnsiConsole console, string repeating, Func<Task<T>> request, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await request();
            }
            catch (Exception failure) when (attempt < Pauses.Length && !ct.IsCancellationRequested && IsTransient(failure))
            {
                console.MarkupLineInterpolated($"[grey]the exchange did not answer ({Reason(failure)}); {repeating} in {Pauses[attempt].TotalSeconds:0} s[/]");
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
