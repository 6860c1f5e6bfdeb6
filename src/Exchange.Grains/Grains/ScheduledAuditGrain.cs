using System.Diagnostics;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Grains.Hosting;
using Exchange.Grains.Placement;
using Exchange.Grains.State;
using Exchange.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace Exchange.Grains.Grains;

/// <summary>
/// Runs the audit on its reminder and keeps the latest result. A failure, or an audit that could not run, is logged as
/// an error and counted in <c>exchange.audit.runs</c> with <c>passed=false</c>, which is what operators alert on:
/// nobody has to remember to ask.
/// </summary>
[NewestSilosOnly]
public sealed class ScheduledAuditGrain(
    [PersistentState("scheduled-audit", StorageNames.Exchange)] IPersistentState<ScheduledAuditState> audit,
    ExchangeAuditor auditor,
    ExchangeMetrics metrics,
    ExchangeClock time,
    ILogger<ScheduledAuditGrain> logger) : Grain, IScheduledAuditGrain, IRemindable
{
    private const string ReminderName = "audit";

    public async Task Schedule(TimeSpan every)
    {
        every = every > TimeSpan.Zero ? every : TimeSpan.Zero;
        var reminder = await this.GetReminder(ReminderName);
        if (every == TimeSpan.Zero)
        {
            if (reminder is not null)
            {
                await this.UnregisterReminder(reminder);
            }
        }
        else if (reminder is null || every != audit.State.Every)
        {
            // Registering again would restart the wait, so silos restarting one by one must not push the audit back.
            await this.RegisterOrUpdateReminder(ReminderName, every, every);
        }

        if (every != audit.State.Every)
        {
            audit.State.Every = every;
            await audit.WriteStateAsync();
        }
    }

    public Task<ScheduledAuditStatus> GetStatus() => Task.FromResult(new ScheduledAuditStatus(audit.State.Every, audit.State.Last));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var startedAt = time.UtcNow;
        var clock = Stopwatch.StartNew();
        AuditReport report;
        try
        {
            report = await auditor.RunAsync();
        }
        catch (Exception exception)
        {
            // An audit that cannot run proves nothing: counted and shown as failed, or a broken audit would stay silent.
            logger.LogError(exception, "Scheduled audit could not run");
            report = new AuditReport(false, [$"audit: could not run: {exception.GetType().Name}: {exception.Message}"], 0, 0, 0, 0, 0, 0, 0,
                new Dictionary<string, long>());
        }

        var took = clock.Elapsed;

        // Counted and logged first: the alert must not wait for (or depend on) storing the result, and a status read
        // (which interleaves) must never show a result that the metric does not count yet.
        metrics.AuditRuns.Add(1, new KeyValuePair<string, object?>("passed", report.Passed));
        if (report.Passed)
        {
            logger.LogInformation("Scheduled audit passed in {Took}: {Accounts} accounts, {Celebrities} celebrities, {Trades} trades",
                took, report.AccountCount, report.CelebrityCount, report.JournalTradeCount);
        }
        else
        {
            logger.LogError("Scheduled audit FAILED with {Count} violation(s): {Violations}",
                report.Violations.Count, string.Join("; ", report.Violations.Take(20)));
        }

        audit.State.Last = new ScheduledAudit(startedAt, took, report);
        await audit.WriteStateAsync();
    }
}
