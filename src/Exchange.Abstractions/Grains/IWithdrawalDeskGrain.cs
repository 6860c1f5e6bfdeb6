using Exchange.Abstractions.Contracts;
using Orleans.CodeGeneration;

namespace Exchange.Abstractions.Grains;

/// <summary>
/// The operators' list of withdrawals waiting to be paid out, across all accounts. The fan's wallet holds the request
/// and its cash and is the record; the desk only lists them, so that operators need not visit every wallet.
/// </summary>
[Version(1)]
public interface IWithdrawalDeskGrain : IGrainWithStringKey
{
    const string Key = "desk";

    Task Enqueue(WithdrawalView withdrawal);

    Task Remove(string accountId, string requestId);

    Task<IReadOnlyList<WithdrawalView>> GetPending();
}
