using System.Net;
using Orleans.Configuration;

namespace Exchange.Silo.Hosting;

/// <summary>
/// How silos find each other (configuration Exchange:Clustering): "localhost" (the default: one silo on this machine),
/// "postgres" (membership in PostgreSQL: many silos anywhere), or "kubernetes" (postgres membership, endpoints and
/// names from the pod).
/// </summary>
public static class ClusterTopology
{
    public const string ServiceId = "exchange";

    public static void Configure(ISiloBuilder silo, IConfiguration configuration, string? connectionString)
    {
        var mode = configuration["Exchange:Clustering"] ?? "localhost";
        var siloPort = configuration.GetValue("Exchange:SiloPort", 11111);
        var gatewayPort = configuration.GetValue("Exchange:GatewayPort", 30000);
        var clusterId = configuration["Exchange:ClusterId"] ?? "exchange";

        if (mode == "localhost")
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: ServiceId, clusterId: clusterId);
            return;
        }

        if (mode is not ("postgres" or "kubernetes"))
        {
            throw new InvalidOperationException($"Exchange:Clustering must be localhost, postgres or kubernetes, not '{mode}'.");
        }

        if (connectionString is null)
        {
            throw new InvalidOperationException("Clustering through PostgreSQL needs ConnectionStrings:Exchange.");
        }

        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = "Npgsql";
            options.ConnectionString = connectionString;
        });
        silo.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = clusterId;
            options.ServiceId = ServiceId;
        });

        if (mode == "kubernetes")
        {
            // Pod IP, silo name and cluster id come from the pod's environment (see deploy/kubernetes).
            silo.UseKubernetesHosting();
            return;
        }

        var advertised = IPAddress.Parse(configuration["Exchange:AdvertisedAddress"] ?? "127.0.0.1");
        silo.ConfigureEndpoints(advertised, siloPort, gatewayPort, listenOnAnyHostAddress: advertised.Equals(IPAddress.Any));
    }
}
