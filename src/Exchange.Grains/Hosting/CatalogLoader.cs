using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Domain.Listing;
using Microsoft.Extensions.Logging;

namespace Exchange.Grains.Hosting;

public sealed record CatalogLoadResult(int Listed, int AlreadyListed, int Refused, int Issued, IReadOnlyList<string> Problems);

/// <summary>
/// Lists the seed catalog and issues each celebrity's first time. Every step is idempotent (listing refuses a second
/// time, the treasury deposit and the issuance carry keys derived from the celebrity id), so loading again, or after
/// a crash half-way, never duplicates anything.
/// </summary>
public sealed class CatalogLoader(IGrainFactory grains, ILogger<CatalogLoader> logger)
{
    public async Task<CatalogLoadResult> LoadAsync(IEnumerable<CatalogEntry> entries, CancellationToken cancellationToken = default)
    {
        int listed = 0, already = 0, refused = 0, issued = 0;
        var problems = new List<string>();
        await Parallel.ForEachAsync(entries, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (entry, _) =>
        {
            var celebrity = grains.ByKey<ICelebrityGrain>(entry.CelebrityId);
            var error = await celebrity.List(new CelebrityListing(entry.DisplayName, entry.Category, entry.AgentId, entry.Audience.Followers, entry.Audience.AverageViewsPerPost));
            switch (error?.Code)
            {
                case null:
                    Interlocked.Increment(ref listed);
                    break;
                case ErrorCodes.AlreadyListed:
                    Interlocked.Increment(ref already);
                    break;
                case ErrorCodes.ListingRefused:
                    Interlocked.Increment(ref refused);
                    return;
                default:
                    lock (problems)
                    {
                        problems.Add($"{entry.CelebrityId}: {error.Message}");
                    }

                    return;
            }

            var cost = checked(entry.IssueSeconds * entry.PriceFenPerSecond);
            await grains.ByKey<IWalletGrain>(AccountIds.Treasury).Deposit("catalog:" + entry.CelebrityId, cost);
            var issuance = await celebrity.IssueTime("catalog:" + entry.CelebrityId, entry.IssueSeconds, entry.PriceFenPerSecond);
            if (issuance.Succeeded && !issuance.WasReplay)
            {
                Interlocked.Increment(ref issued);
            }
            else if (!issuance.Succeeded)
            {
                lock (problems)
                {
                    problems.Add($"{entry.CelebrityId}: {issuance.Error?.Message}");
                }
            }
        });

        logger.LogInformation("Catalog: {Listed} listed, {Already} already listed, {Refused} refused by the listing rules, {Issued} issued", listed, already, refused, issued);
        return new CatalogLoadResult(listed, already, refused, issued, problems);
    }
}
