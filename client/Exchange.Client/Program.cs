using Exchange.Client.Cli;
using Spectre.Console;

return await ExchangeCli.Build(AnsiConsole.Console).Parse(args).InvokeAsync();
