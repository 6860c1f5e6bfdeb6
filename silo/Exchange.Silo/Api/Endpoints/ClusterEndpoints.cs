using Exchange.Silo.Api.Auth;
using Exchange.Silo.Operations;

namespace Exchange.Silo.Api.Endpoints;

public static class ClusterEndpoints
{
    public static RouteGroupBuilder MapCluster(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/admin/cluster").WithTags("Operator").RequireAuthorization(ApiRole.Operator);

        group.MapGet("/silos", async (ClusterInspector inspector) => TypedResults.Ok(await inspector.SilosAsync()))
            .WithSummary("Every silo the membership table knows, with its status");

        group.MapGet("/activations", async (ClusterInspector inspector) => TypedResults.Ok(await inspector.ActivationsAsync()))
            .WithSummary("Activations per silo and grain type");

        group.MapPost("/rebalance", async (ClusterInspector inspector) => TypedResults.Ok(await inspector.RebalanceAsync()))
            .WithSummary("Move activations (with their state) from crowded silos to emptier ones");

        return api;
    }
}
