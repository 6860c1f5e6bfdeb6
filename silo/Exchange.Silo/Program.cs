using Exchange.Silo.Hosting;

try
{
    var app = await ExchangeHost.BuildAsync(args);
    await app.RunAsync();
    return 0;
}
catch (Exception exception)
{
    // An unhandled exception would end the process with SIGABRT ("Aborted", maybe a core dump) and the runtime's
    // dump of it; an operator or a script needs the reason and a plain failure exit code.
    Console.Error.WriteLine($"The silo stopped: {exception.GetBaseException().Message}");
    Console.Error.WriteLine(exception);
    return 1;
}
