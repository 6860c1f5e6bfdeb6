using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Http;
using Exchange.Grains.Storage;
using Exchange.Silo.Api.Auth;
using Exchange.Silo.Api.Endpoints;
using Exchange.Silo.Api.Feed;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Exchange.Silo.Api;

/// <summary>Services and pipeline of the HTTP API co-hosted in every silo.</summary>
public static class ExchangeApi
{
    public static void AddExchangeApi(this WebApplicationBuilder builder, bool persistent)
    {
        var services = builder.Services;
        var options = builder.Configuration.GetSection("Exchange:Api").Get<ApiOptions>() ?? new ApiOptions();
        services.AddSingleton(options);
        var trustedProxies = options.TrustedProxies.Select(network => System.Net.IPNetwork.TryParse(network, out var parsed)
            ? parsed
            : throw new InvalidOperationException($"Exchange:Api:TrustedProxies: '{network}' is not a network in CIDR form, e.g. 10.0.0.0/8.")).ToList();
        services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the configured proxies: ASP.NET Core's default trusts loopback, which would let a local client pick its address.
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            trustedProxies.ForEach(forwarded.KnownIPNetworks.Add);
        });
        services.TryAddSingleton(TimeProvider.System);
        if (persistent)
        {
            services.AddSingleton<IApiKeyStore>(provider => new CachingApiKeyStore(
                new PostgresApiKeyStore(provider.GetRequiredService<NpgsqlDataSource>()), options.KeyCacheLifetime, provider.GetRequiredService<TimeProvider>()));
        }
        else
        {
            services.AddSingleton<IApiKeyStore, InMemoryApiKeyStore>();
        }

        services.AddSingleton<ApiKeyIssuer>();
        services.AddSingleton<TradeFeed>();
        services.AddSingleton<AccountFeed>();
        services.AddSingleton<HeldCelebritiesWatch>();
        services.AddSingleton<SlotFeed>();
        services.AddSingleton<ChatFeed>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, FeedSubscriptionRelease>();
        services.AddSingleton<KeyCheck>();
        services.AddSingleton(new FeedQuota(FeedQuota.MaxFeedsPerAccount, "of one account"));
        services.AddKeyedSingleton(FeedQuota.Public, new FeedQuota(options.PublicFeedsPerAddress, "from one client address"));
        services.AddSingleton<ApiMetrics>();
        services.AddOptions<Payments.PaymentOptions>().Bind(builder.Configuration.GetSection("Exchange:Payments"))
            .Validate(payments => payments.WebhookSecret is null || payments.WebhookSecret.Length >= Payments.PaymentOptions.MinimumSecretLength,
                $"Exchange:Payments:WebhookSecret must be at least {Payments.PaymentOptions.MinimumSecretLength} characters.")
            .ValidateOnStart();
        services.AddSingleton(provider =>
        {
            var grains = provider.GetRequiredService<IGrainFactory>();
            return new CelebrityListSnapshot(provider.GetRequiredService<IExchangeDirectory>(), id => CelebritiesEndpoints.SummaryAsync(grains, id),
                options.CelebrityListLifetime, provider.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<Operations.ClusterInspector>();
        services.AddSingleton<AccountRegistry>();
        services.AddHostedService<BootstrapOperatorKey>();

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiRole.Fan, policy => policy.RequireRole(ApiRole.Fan))
            .AddPolicy(ApiRole.Celebrity, policy => policy.RequireRole(ApiRole.Celebrity))
            .AddPolicy(ApiRole.Operator, policy => policy.RequireRole(ApiRole.Operator));

        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
            json.SerializerOptions.Converters.Add(new DateTimeOffsetWithOffsetConverter());
            // A misspelt field is a mistake the client wants to hear about, not silently ignore.
            json.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            // Parsers disagree on which copy of a repeated field wins, so a proxy or audit log could read a different
            // order from the one the exchange executes: a repeated field is refused rather than guessed.
            json.SerializerOptions.AllowDuplicateProperties = false;
        });

        // Query parameters' ranges ([Range] on the handlers' parameters) are checked, and shown in the OpenAPI document,
        // by ASP.NET Core: a page size out of range is refused, not quietly changed.
        services.AddValidation();
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
            context.ProblemDetails.Extensions.TryAdd("code", ProblemResults.CodeForStatus(status));
            if (context.ProblemDetails is HttpValidationProblemDetails { Errors.Count: > 0 } invalid)
            {
                context.ProblemDetails.Detail = string.Join(" ", invalid.Errors.SelectMany(error => error.Value));
            }

            if (context.Exception is BadHttpRequestException badRequest)
            {
                // Say what was wrong with the request (bad JSON, a string where a number goes...), never a stack trace.
                context.ProblemDetails.Detail = badRequest.InnerException is JsonException json ? JsonProblemDetail.Describe(json)
                    : JsonProblemDetail.DescribeMissingBody(badRequest) ?? JsonProblemDetail.DescribeUnboundParameter(badRequest)
                        ?? badRequest.InnerException?.Message ?? badRequest.Message;
            }

            context.ProblemDetails.Detail ??= ProblemResults.DetailForStatus(status);
            if (status == StatusCodes.Status503ServiceUnavailable && context.Exception is not null)
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
            }
        });

        services.AddExchangeResponseCompression();
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (context.Request.Path.StartsWithSegments("/health"))
                {
                    return RateLimitPartition.GetNoLimiter("health");
                }

                var partition = context.User.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim) is { } keyId
                    ? "key:" + keyId
                    : "ip:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.RateLimitPermits,
                    Window = options.RateLimitWindow,
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : options.RateLimitWindow;
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                RateLimitHeaders.WriteExhausted(context.HttpContext, options);
                var whose = context.HttpContext.User.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim) is null ? "from this address" : "for this key";
                await ProblemResults.Problem(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, $"Too many requests {whose}; retry after the time in Retry-After.")
                    .ExecuteAsync(context.HttpContext);
            };
        });

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.AddServerHeader = false;
        });

        // Binding failures become exceptions so the exception handler can turn them into problems that say what was wrong.
        services.Configure<RouteHandlerOptions>(routing => routing.ThrowOnBadRequest = true);
        services.Configure<ExceptionHandlerOptions>(handler =>
        {
            handler.StatusCodeSelector = exception => exception switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                _ when TransientFailure.Is(exception) => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            };
            // A client's mistake (bad JSON, a missing body) is answered with a problem saying what was wrong; logged as an
            // unhandled error with its stack trace, any client could fill the log and set off the alerts on errors.
            handler.SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException;
        });
        services.AddExchangeOpenApi();
    }

    public static void MapExchangeApi(this WebApplication app)
    {
        // First, so that everything after it (rate limits above all) sees the client's address rather than the proxy's.
        if (app.Services.GetRequiredService<ApiOptions>().TrustedProxies.Length > 0)
        {
            app.UseForwardedHeaders();
        }

        app.UseExchangeSecurityHeaders();
        app.UseExchangeResponseCompression();
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // The web page (wwwroot) is public; it asks for a key and then calls the API like any client.
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseRateLimitHeaders();
        app.UseReadOnlyKeys();

        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        var api = app.MapGroup("/api/v1");
        api.MapAccount();
        api.MapFavourites();
        api.MapCelebrities();
        api.MapRules();
        api.MapOrders();
        api.MapWallet();
        api.MapAdmin();
        api.MapFeed();
        api.MapPayments();
        // Made now, so its gauges are exported before the first payment or feed needs it.
        app.Services.GetRequiredService<ApiMetrics>();
        api.MapRedemption();
        api.MapChats();
        api.MapChatFeeds();
        api.MapChatBlocks();
        api.MapTimeOffers();
        api.MapCluster();
    }
}
