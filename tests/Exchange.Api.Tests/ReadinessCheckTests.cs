using System.Net;
using System.Net.Sockets;
using Exchange.Silo.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Exchange.Api.Tests;

public class ReadinessCheckTests
{
    [Fact]
    public async Task A_silo_whose_database_does_not_answer_is_not_ready()
    {
        await using var unreachable = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={UnusedPort()};Username=postgres;Timeout=2");
        var check = new ReadinessCheck(unreachable, Lifetime());

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.StartsWith("the database does not answer", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stopping_silo_is_not_ready_so_the_load_balancer_drains_it_first()
    {
        var lifetime = Lifetime();
        var check = new ReadinessCheck(null, lifetime);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        lifetime.StopApplication();

        Assert.Equal((HealthStatus.Unhealthy, "shutting down"), ((await check.CheckHealthAsync(new HealthCheckContext())).Status, (await check.CheckHealthAsync(new HealthCheckContext())).Description));
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The lifetime the generic host itself uses.</summary>
    private static ApplicationLifetime Lifetime() => new(NullLogger<ApplicationLifetime>.Instance);
}
