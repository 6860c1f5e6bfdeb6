using System.Net;
using System.Net.Sockets;

namespace Exchange.Silo.Hosting;

public static class LoopbackPorts
{
    // Below the ephemeral ranges of Linux (32768-60999) and Windows (49152-65535), from which outgoing connections take
    // their local ports: a port the OS picked from there could be taken by a database or silo connection before the
    // process it was picked for binds it.
    private const int First = 20_000;
    private const int Last = 32_767;

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now, outside the range outgoing connections use.</summary>
    public static int Free()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(First, Last + 1);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException($"No free TCP port on 127.0.0.1 between {First} and {Last}.");
    }
}
