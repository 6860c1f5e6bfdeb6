namespace Exchange.Abstractions.Contracts;

/// <summary>
/// A chat as it stands after a change (opened, a message, ended), on its celebrity's <c>chats</c> stream:
/// <see cref="Chat"/> without its messages, and <see cref="Message"/> when the change added one.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChatEvent([property: Id(0)] ChatView Chat, [property: Id(1)] ChatMessage? Message);
