using System.Net;
using Exchange.Abstractions.Http;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Silo.Api.Payments;
using Exchange.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Exchange.Api.Tests.ApiSession;

namespace Exchange.Api.Tests;

public class PaymentConfigurationTests
{
    private static async Task<WebApplication> BuildAsync(params string[] settings) => await ExchangeHost.BuildAsync(
    [
        "--urls", "http://127.0.0.1:0",
        $"--ConnectionStrings:Exchange={await SharedPostgres.NewDatabaseAsync()}",
        $"--Exchange:SiloPort={LoopbackPorts.Free()}",
        $"--Exchange:GatewayPort={LoopbackPorts.Free()}",
        "--Exchange:Seed:Catalog=false",
        "--Exchange:Simulator:Enabled=false",
        .. settings,
    ]);

    [Fact]
    public async Task A_payment_secret_too_short_to_be_safe_stops_the_silo_from_starting()
    {
        await using var app = await BuildAsync("--Exchange:Payments:WebhookSecret=guessable");

        var refused = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IOptions<PaymentOptions>>().Value);

        Assert.Contains("at least 32 characters", refused.Message);
    }

    [Fact]
    public async Task Without_a_payment_secret_every_notification_is_refused_as_not_configured()
    {
        await using var app = await BuildAsync();
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
        var body = """{"paymentId":"p","accountId":"fan-x","amountFen":100,"status":"succeeded"}""";
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments/notifications") { Content = content };
        // Even a notification signed with an empty secret is refused: no secret means no payments.
        request.Headers.TryAddWithoutValidation(PaymentSignature.Header, PaymentSignature.Sign("", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));

        await ExpectProblemAsync(await client.SendAsync(request), HttpStatusCode.ServiceUnavailable, "payments_not_configured");
        await app.StopAsync();
    }
}
