using System.Globalization;

namespace Exchange.Domain.Units;

/// <summary>Fen per second of time. The tick is one fen, so every positive value is on the tick.</summary>
public readonly record struct Price(long FenPerSecond) : IComparable<Price>
{
    public const long TickFen = 1;

    public bool IsValid => FenPerSecond > 0;

    /// <summary>Price x quantity; throws <see cref="OverflowException"/> rather than wrap.</summary>
    public Cash NotionalOf(Seconds quantity) => new(checked(FenPerSecond * quantity.Value));

    public bool TryNotionalOf(Seconds quantity, out Cash notional)
    {
        var product = (Int128)FenPerSecond * quantity.Value;
        if (product > long.MaxValue || product < long.MinValue)
        {
            notional = default;
            return false;
        }

        notional = new Cash((long)product);
        return true;
    }

    public static bool operator <(Price left, Price right) => left.FenPerSecond < right.FenPerSecond;

    public static bool operator >(Price left, Price right) => left.FenPerSecond > right.FenPerSecond;

    public static bool operator <=(Price left, Price right) => left.FenPerSecond <= right.FenPerSecond;

    public static bool operator >=(Price left, Price right) => left.FenPerSecond >= right.FenPerSecond;

    public int CompareTo(Price other) => FenPerSecond.CompareTo(other.FenPerSecond);

    public override string ToString() => $"{FenPerSecond} fen/s";

    /// <summary>As people read prices: 999 fen/s is "9.99" (CNY per second). Decimal, so exact.</summary>
    public string Yuan => (FenPerSecond / 100m).ToString("0.00", CultureInfo.InvariantCulture);
}
