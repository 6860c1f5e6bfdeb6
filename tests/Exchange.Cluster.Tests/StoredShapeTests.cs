using Exchange.Cluster.Tests.Infrastructure;

namespace Exchange.Cluster.Tests;

/// <summary>
/// The placement filter keeps grains off silos of an older build only if a newer build says it is newer: a change to
/// what grains store, or to a grain interface's methods, must raise a grain interface's <c>[Version]</c>.
/// <c>StoredShapes.txt</c> records every shape so far with the version sum it came with.
/// </summary>
public class StoredShapeTests
{
    private const string RecordName = "StoredShapes.txt";
    private const string Separator = "---";

    [Fact]
    public void A_change_to_stored_state_or_grain_methods_comes_with_a_higher_grain_interface_version()
    {
        var record = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, RecordName));
        var history = record.TakeWhile(line => line != Separator)
            .Where(line => line.StartsWith("version-sum ", StringComparison.Ordinal))
            .Select(line => line.Split(' '))
            .Select(parts => (Sum: int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), Hash: parts[2]))
            .ToList();
        var recordedListing = record.SkipWhile(line => line != Separator).Skip(1).ToList();
        Assert.NotEmpty(history);
        for (var i = 1; i < history.Count; i++)
        {
            Assert.True(history[i].Sum > history[i - 1].Sum, $"{RecordName}: each recorded shape needs a higher version sum than the one before it");
        }

        var listing = StoredShapes.Listing();
        var hash = StoredShapes.Hash(listing);
        var sum = StoredShapes.VersionSum();
        var last = history[^1];
        Assert.Equal(StoredShapes.Hash(recordedListing), last.Hash);
        if (hash == last.Hash)
        {
            Assert.True(sum == last.Sum, $"The grain interface versions add up to {sum}, recorded {last.Sum}: append \"version-sum {sum} {hash}\" to {RecordName}.");
            return;
        }

        var actual = Path.Combine(AppContext.BaseDirectory, "StoredShapes.actual.txt");
        File.WriteAllLines(actual, listing);
        var changes = recordedListing.Except(listing).Select(line => "- " + line).Concat(listing.Except(recordedListing).Select(line => "+ " + line));
        var what = $"What grains store or grain interfaces offer changed:\n{string.Join("\n", changes.Take(30))}\n";
        Assert.Fail(sum > last.Sum
            ? what + $"The versions were raised: append \"version-sum {sum} {hash}\" to tests/Exchange.Cluster.Tests/{RecordName} and put {actual} after its \"{Separator}\" line."
            : what + $"Raise [Version] on the interface of each grain this changes (their versions add up to {sum}, as recorded), so silos of " +
                     "this build count as newer and an older build never activates what this one wrote.");
    }
}
