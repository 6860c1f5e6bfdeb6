using System.Globalization;
using Exchange.Abstractions.Http;
using Exchange.Client.Api;

namespace Exchange.Client.Cli;

/// <summary>
/// A fan's trades as CSV, for a spreadsheet or a tax return: every page, newest first, amounts in CNY with two
/// decimals and no grouping, times in UTC (ISO 8601), and the cash each trade moved (<see cref="AccountTrade.CashMovedFen"/>).
/// </summary>
public static class TradesCsv
{
    public const string Header = "executed_at_utc,trade_id,celebrity,side,order_id,seconds,price_cny,value_cny,fee_cny,cash_cny";

    public static string Line(AccountTrade trade) => string.Join(',',
        trade.ExecutedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        Field(trade.TradeId), Field(trade.CelebrityId), trade.Side, Field(trade.OrderId),
        trade.Quantity.ToString(CultureInfo.InvariantCulture),
        Yuan(trade.PriceFen), Yuan(trade.NotionalFen), Yuan(trade.CommissionFen), Yuan(trade.CashMovedFen()));

    /// <summary>Writes the header and every trade from <paramref name="before"/> (or the newest) back to the first, <paramref name="pageSize"/> a request; how many.</summary>
    public static async Task<int> WriteAllAsync(ExchangeApiClient api, TextWriter writer, string? before, int pageSize, CancellationToken ct)
    {
        await writer.WriteLineAsync(Header);
        var written = 0;
        do
        {
            var page = await api.GetTradesAsync(pageSize, before, ct);
            foreach (var trade in page.Trades)
            {
                await writer.WriteLineAsync(Line(trade));
                written++;
            }

            before = page.NextBefore;
        }
        while (before is not null);

        await writer.FlushAsync(ct);
        return written;
    }

    private static string Yuan(long fen) => (fen / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Ids are plain today; quoted anyway if one ever holds a comma, quote or line break.</summary>
    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
