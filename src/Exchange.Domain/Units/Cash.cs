using System.Globalization;

namespace Exchange.Domain.Units;

/// <summary>An amount of money in fen (0.01 CNY). Arithmetic is overflow-checked: money never wraps.</summary>
public readonly record struct Cash(long Fen) : IComparable<Cash>
{
    public static Cash Zero => default;

    public static Cash FromYuan(long yuan) => new(checked(yuan * 100));

    public bool IsNegative => Fen < 0;

    public bool IsPositive => Fen > 0;

    public static Cash operator +(Cash left, Cash right) => new(checked(left.Fen + right.Fen));

    public static Cash operator -(Cash left, Cash right) => new(checked(left.Fen - right.Fen));

    public static Cash operator -(Cash value) => new(checked(-value.Fen));

    public static bool operator <(Cash left, Cash right) => left.Fen < right.Fen;

    public static bool operator >(Cash left, Cash right) => left.Fen > right.Fen;

    public static bool operator <=(Cash left, Cash right) => left.Fen <= right.Fen;

    public static bool operator >=(Cash left, Cash right) => left.Fen >= right.Fen;

    public int CompareTo(Cash other) => Fen.CompareTo(other.Fen);

    public override string ToString()
    {
        var sign = Fen < 0 ? "-" : "";
        var magnitude = Math.Abs((decimal)Fen);
        return sign + (magnitude / 100m).ToString("0.00", CultureInfo.InvariantCulture) + " CNY";
    }
}
