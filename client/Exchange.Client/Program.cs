using Exchange.Client.Cli;
using Spectre.Console;

var console = AnsiConsole.Console;
if (OutputWidth.For(Console.IsOutputRedirected, Environment.GetEnvironmentVariable("COLUMNS")) is { } width)
{
    console.Profile.Width = width;
}

return await ExchangeCli.Build(console).Parse(args).InvokeAsync();
