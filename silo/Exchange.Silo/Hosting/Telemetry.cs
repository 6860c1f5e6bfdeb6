using Exchange.Grains.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Exchange.Silo.Hosting;

/// <summary>
/// OpenTelemetry metrics (Orleans' meters, ASP.NET Core, the .NET runtime's (GC, thread pool, CPU), and the
/// exchange's own: orders, trades, halts, settlement lag) and traces (Orleans grain calls, HTTP). Prometheus scraping on /metrics (operator key) unless
/// Exchange:Telemetry:Prometheus=false; OTLP export when Exchange:Telemetry:OtlpEndpoint is set.
/// </summary>
public static class Telemetry
{
    public static void AddExchangeTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = builder.Configuration["Exchange:Telemetry:OtlpEndpoint"];
        var prometheus = builder.Configuration.GetValue("Exchange:Telemetry:Prometheus", true);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("celebrity-exchange", serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(metrics =>
            {
                // "System.Runtime" is .NET's built-in meter: observable instruments, read only when scraped.
                metrics.AddMeter("Microsoft.Orleans", "System.Runtime", ExchangeMetrics.MeterName).AddAspNetCoreInstrumentation();
                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }

                if (!string.IsNullOrWhiteSpace(otlp))
                {
                    metrics.AddOtlpExporter(options => options.Endpoint = new Uri(otlp));
                }
            });

        // Traces only when something collects them: a listener on Orleans' sources makes every grain call build an
        // activity, which cost about a tenth of the silo's CPU under load with nowhere to send it.
        if (!string.IsNullOrWhiteSpace(otlp))
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter(options => options.Endpoint = new Uri(otlp)));
        }
    }

    public static bool PrometheusEnabled(IConfiguration configuration) => configuration.GetValue("Exchange:Telemetry:Prometheus", true);
}
