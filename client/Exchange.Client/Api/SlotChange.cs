using Exchange.Abstractions.Contracts;

namespace Exchange.Client.Api;

/// <summary>One event of a celebrity's slot feed: "ready" (no slot) once listening, then "slot" with the slot as it now stands.</summary>
public sealed record SlotChange(string Kind, SlotView? Slot);
