using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Exchange.Client.Cli;

/// <summary>The platform's revenue: the 3% commission in total, per trading day and per celebrity.</summary>
public static class CommissionCommand
{
    public static Command Create(CliContext cli)
    {
        var days = new Option<int>("--days") { Description = "Trading days to show, newest first", DefaultValueFactory = _ => 7 };
        var top = new Option<int>("--top") { Description = "Celebrities to show, by commission earned", DefaultValueFactory = _ => 10 };
        var command = new Command("commission", "The platform's commission: total, per trading day and per celebrity") { days, top };
        command.SetAction(cli.Run(async (api, parse, ct) =>
        {
            var report = await api.GetCommissionAsync(parse.GetValue(days), parse.GetValue(top), ct);
            cli.Console.MarkupLineInterpolated($"commission {Display.Yuan(report.TotalFen)} CNY from {report.TradeCount} trades");
            var byDay = new Table().AddColumns("trading day", "commission (CNY)");
            foreach (var day in report.ByDay)
            {
                byDay.AddRow(day.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Display.Yuan(day.Fen));
            }

            var byCelebrity = new Table().AddColumns("celebrity", "commission (CNY)");
            foreach (var celebrity in report.TopCelebrities)
            {
                byCelebrity.AddRow(Markup.Escape(celebrity.CelebrityId), Display.Yuan(celebrity.Fen));
            }

            cli.Console.Write(byDay);
            cli.Console.Write(byCelebrity);
        }));
        return command;
    }
}
