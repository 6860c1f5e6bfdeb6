using Exchange.Domain.Units;

namespace Exchange.Domain.Protection;

/// <summary>The daily range of acceptable prices around a reference price (the previous close).</summary>
public readonly record struct PriceBand(Price Lower, Price Upper)
{
    public const int DefaultWidthBasisPoints = 1_000;

    /// <summary>
    /// Reference +/- width, shrunk inward to whole fen (lower rounds up, upper rounds down) so no price outside the
    /// exact percentage is ever accepted. The lower edge never drops below one fen.
    /// </summary>
    public static PriceBand Around(Price reference, int widthBasisPoints = DefaultWidthBasisPoints)
    {
        if (!reference.IsValid)
        {
            throw new ArgumentOutOfRangeException(nameof(reference), "A reference price must be positive.");
        }

        if (widthBasisPoints is < 0 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(widthBasisPoints), "Band width must be within 0..10000 bps.");
        }

        var lowerScaled = (Int128)reference.FenPerSecond * (10_000 - widthBasisPoints);
        var upperScaled = (Int128)reference.FenPerSecond * (10_000 + widthBasisPoints);
        var lower = (long)((lowerScaled + 9_999) / 10_000);
        var upper = (long)Int128.Min(upperScaled / 10_000, long.MaxValue);
        return new PriceBand(new Price(Math.Max(1, lower)), new Price(upper));
    }

    public bool Contains(Price price) => price >= Lower && price <= Upper;
}
