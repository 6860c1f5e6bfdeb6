using Exchange.Abstractions.Http;
using Exchange.Domain.Redemption;
using Exchange.Domain.Units;
using Exchange.Grains.Hosting;
using Microsoft.Extensions.Options;

namespace Exchange.Silo.Api.Endpoints;

/// <summary>The rules in force, read from the same settings the grains apply, so what a client shows is what it gets.</summary>
public static class RulesEndpoints
{
    public static RouteGroupBuilder MapRules(this RouteGroupBuilder api)
    {
        api.MapGet("/rules", (IOptions<ExchangeOptions> options) => TypedResults.Ok(RulesOf(options.Value)))
            .AllowAnonymous()
            .WithTags("Market data")
            .WithSummary("The trading rules in force: commission (paid by the seller, rounded half up to the fen), tick, daily band, volatility halts, "
                + "the largest order, and the seconds each contact costs at least");
        return api;
    }

    private static MarketRules RulesOf(ExchangeOptions options) => new(
        options.CommissionBasisPoints,
        Price.TickFen,
        options.PriceBandBasisPoints,
        options.TradingDayTimeZone,
        options.VolatilityMaxMoveBasisPoints,
        options.VolatilityWindow,
        options.VolatilityHaltDuration,
        options.MaxOrderNotionalFen,
        RedemptionTiers.ChatMinimum.Value,
        RedemptionTiers.VideoCallMinimum.Value,
        RedemptionTiers.MeetUpMinimum.Value,
        options.FanCancellationCutoff);
}
