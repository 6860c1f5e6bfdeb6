using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Exchange.Silo.Api;

/// <summary>
/// The OpenAPI document API clients generate code from: only the exchange's API (the Orleans dashboard's routes are
/// left out), the bearer key scheme on every endpoint that needs a key, and the refusals every endpoint can answer
/// with, as RFC 7807 problems carrying the exchange's stable <c>code</c>. Endpoints declare their own results and
/// their domain refusals (404, 409, 422); this adds the ones that come from the pipeline (400, 401, 403, 429).
/// </summary>
public static class ExchangeOpenApi
{
    public const string KeyScheme = "apiKey";

    public static IServiceCollection AddExchangeOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.ShouldInclude = description => description.RelativePath is { } path && (path.StartsWith("api/", StringComparison.Ordinal) || path == "health");
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Celebrity-time exchange API";
                document.Info.Description =
                    "Trade seconds of celebrities' time. Money is in whole fen (100 fen = 1 CNY), time in whole seconds. "
                    + "Send the key as `Authorization: Bearer cx_...`. Every refusal is an RFC 7807 problem whose `code` names it.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[KeyScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An API key (cx_...) an operator created; its role (fan, celebrity, operator) decides what it may do.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var needsKey = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
                if (needsKey)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(KeyScheme, context.Document)] = [] });
                }

                if (context.Description.RelativePath is not { } path || !path.StartsWith("api/", StringComparison.Ordinal))
                {
                    return;
                }

                // One shared component, as the endpoints' own ProducesProblem declarations use, not a copy per response.
                var document = context.Document!;
                if (document.Components?.Schemas?.ContainsKey(nameof(ProblemDetails)) != true)
                {
                    document.AddComponent(nameof(ProblemDetails), await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), cancellationToken: cancellationToken));
                }

                var problem = new OpenApiSchemaReference(nameof(ProblemDetails), document);
                operation.Responses ??= new OpenApiResponses();
                void Refusal(int status, string description)
                {
                    operation.Responses.TryAdd(status.ToString(System.Globalization.CultureInfo.InvariantCulture), new OpenApiResponse
                    {
                        Description = description,
                        Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
                    });
                }

                if (context.Description.ParameterDescriptions.Count > 0)
                {
                    Refusal(StatusCodes.Status400BadRequest, "Malformed request or invalid value (code: invalid_request, invalid_quantity, invalid_price, invalid_amount...)");
                }

                if (needsKey)
                {
                    Refusal(StatusCodes.Status401Unauthorized, "No key, or a key that is unknown or revoked (code: unauthorized)");
                    Refusal(StatusCodes.Status403Forbidden, "The key's role may not do this (code: forbidden, not_your_order...)");
                }

                Refusal(StatusCodes.Status429TooManyRequests, "Too many requests for this key or address; see Retry-After (code: rate_limited)");
                Refusal(StatusCodes.Status503ServiceUnavailable, "Part of the exchange did not answer, e.g. a silo stopping; retry after Retry-After " +
                    "with the same idempotency key (code: unavailable)");
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonTypeInfo.Type == typeof(ProblemDetails))
                {
                    schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
                    schema.Properties["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Stable machine-readable reason, e.g. insufficient_funds" };
                    schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "W3C trace id of the request, for support" };
                }

                // The API's own converter (DateTimeOffsetWithOffsetConverter) hides that a time is a string.
                if (context.JsonTypeInfo.Type == typeof(DateTimeOffset) || context.JsonTypeInfo.Type == typeof(DateTimeOffset?))
                {
                    schema.Type = context.JsonTypeInfo.Type == typeof(DateTimeOffset) ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
                    schema.Format = "date-time";
                }

                return Task.CompletedTask;
            });
        });
}
