namespace Exchange.Simulation;

/// <summary>What simulated fans and celebrities say: enough for a chat to read as one on the page.</summary>
public static class SimulatedChat
{
    public const string Question = "Hi! Big fan. Any news about your next appearance?";

    public const string Answer = "Thanks for the support! Soon, stay tuned.";
}
