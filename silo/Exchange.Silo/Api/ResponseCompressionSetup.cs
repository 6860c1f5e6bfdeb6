using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace Exchange.Silo.Api;

/// <summary>
/// Compresses what a client reads: the list of every celebrity is ~120 KB of JSON, and a page watching a busy
/// celebrity reads it about once a second. Only answers to GET are compressed: the answers that carry a secret (a new
/// API key) are to POSTs, and compressing a secret next to text a caller chose leaks it through the length (BREACH).
/// Live feeds (text/event-stream) are not on the list, so their events are never held back in a compressor's buffer.
/// </summary>
public static class ResponseCompressionSetup
{
    public static void AddExchangeResponseCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(compression =>
        {
            // The silo speaks HTTP behind a TLS terminator, so the request it sees is never HTTPS; the GET-only rule
            // above is what keeps secrets out of compressed answers.
            compression.EnableForHttps = true;
            compression.Providers.Add<BrotliCompressionProvider>();
            compression.Providers.Add<GzipCompressionProvider>();
        });
        services.Configure<BrotliCompressionProviderOptions>(brotli => brotli.Level = CompressionLevel.Optimal);
        services.Configure<GzipCompressionProviderOptions>(gzip => gzip.Level = CompressionLevel.Fastest);
    }

    public static void UseExchangeResponseCompression(this WebApplication app) =>
        app.UseWhen(context => HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method),
            branch => branch.UseResponseCompression());
}
