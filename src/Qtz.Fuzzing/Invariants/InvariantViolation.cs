namespace Qtz.Fuzzing.Invariants;

/// <summary>One broken security invariant: its name (failures group by it) and what was seen.</summary>
public readonly record struct InvariantViolation(string Invariant, string Message)
{
    public override string ToString() => $"{Invariant}: {Message}";
}
