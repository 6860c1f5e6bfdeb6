namespace Exchange.Grains.Hosting;

public static class StorageNames
{
    /// <summary>Grain storage for all exchange grains.</summary>
    public const string Exchange = "exchange";

    /// <summary>Where Orleans keeps stream subscriptions (the name the stream runtime expects).</summary>
    public const string PubSub = "PubSubStore";
}
