namespace Exchange.Domain.Listing;

/// <summary>
/// About 500 fictional celebrities, generated deterministically so every install sees the same market. Names are
/// made of invented syllables, not taken from real people. Issuance follows reach: more followers, more seconds;
/// more views per post, a higher price per second. A few fall short of the listing rules on purpose.
/// </summary>
public static class SeedCatalog
{
    private static readonly string[] GivenNames =
    [
        "Aurelo", "Brisa", "Caelin", "Dorvan", "Elowen", "Fenric", "Galena", "Harlow", "Isolde", "Jorvik",
        "Kestra", "Lumen", "Maelis", "Norrin", "Orsolya", "Pellan", "Quenby", "Rowenna", "Sorrel", "Talwyn",
        "Ulric", "Vesna", "Wrenna", "Xanthe", "Yorick",
    ];

    private static readonly string[] FamilyNames =
    [
        "Ashvale", "Brightwater", "Coldharbor", "Dunmere", "Emberly", "Fairwind", "Glimmerton", "Hollowmere", "Ivorydale", "Juniperhall",
        "Kettlewell", "Larkspire", "Moonridge", "Nettlefield", "Oakhaven", "Pinecrest", "Quillfeather", "Ravenmoor", "Silverbrook", "Thornbury",
    ];

    private static readonly string[] Agencies =
    [
        "northstar-talent", "bluelantern-agency", "redkite-management", "goldleaf-artists", "silverfin-sports", "jadepeak-media",
        "ironbridge-partners", "moonwell-creative", "sunbird-entertainment", "greyhawk-representation", "coralreef-talent",
        "emberline-agency", "pinewood-artists", "stonegate-management", "wildrose-creative", "brightpath-sports",
    ];

    public static IReadOnlyList<CatalogEntry> Entries { get; } = Generate();

    private static List<CatalogEntry> Generate()
    {
        var random = new Random(20261125);
        var entries = new List<CatalogEntry>(GivenNames.Length * FamilyNames.Length);
        foreach (var given in GivenNames)
        {
            foreach (var family in FamilyNames)
            {
                // Reach is log-uniform from 1,000 to 50 million followers; views per post track followers loosely.
                var followers = (long)Math.Round(Math.Pow(10, 3 + random.NextDouble() * 4.7));
                var engagement = 0.02 + random.NextDouble() * 0.3;
                var views = (long)Math.Round(followers * engagement);
                var seconds = Math.Clamp(followers / 20, 10_000, 2_000_000) / 100 * 100;
                var price = Math.Clamp((long)Math.Round(Math.Sqrt(views) * 2), 20, 20_000);
                entries.Add(new CatalogEntry(
                    $"{given}-{family}".ToLowerInvariant(),
                    $"{given} {family}",
                    CelebrityCategories.All[random.Next(CelebrityCategories.All.Count)],
                    Agencies[random.Next(Agencies.Length)],
                    new AudienceStats(followers, views),
                    seconds,
                    price));
            }
        }

        return entries;
    }
}
