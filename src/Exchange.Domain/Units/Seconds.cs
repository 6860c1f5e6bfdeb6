namespace Exchange.Domain.Units;

/// <summary>Whole seconds of a celebrity's time: the traded good.</summary>
public readonly record struct Seconds(long Value) : IComparable<Seconds>
{
    public static Seconds Zero => default;

    public bool IsPositive => Value > 0;

    public static Seconds operator +(Seconds left, Seconds right) => new(checked(left.Value + right.Value));

    public static Seconds operator -(Seconds left, Seconds right) => new(checked(left.Value - right.Value));

    public static bool operator <(Seconds left, Seconds right) => left.Value < right.Value;

    public static bool operator >(Seconds left, Seconds right) => left.Value > right.Value;

    public static bool operator <=(Seconds left, Seconds right) => left.Value <= right.Value;

    public static bool operator >=(Seconds left, Seconds right) => left.Value >= right.Value;

    public static Seconds Min(Seconds left, Seconds right) => left.Value <= right.Value ? left : right;

    public int CompareTo(Seconds other) => Value.CompareTo(other.Value);

    public override string ToString() => $"{Value} s";
}
