namespace EksOperator.Aws.Transport;

/// <summary>
/// AWS "standard" retry mode's retry quota: retries spend tokens (5, or 10 after a timeout or dropped connection),
/// successes give them back, so a struggling service gets fewer retries instead of three times the load.
/// </summary>
internal sealed class RetryQuota(int capacity = RetryQuota.DefaultCapacity)
{
    private readonly int _capacity = capacity;
    public const int DefaultCapacity = 500;
    public const int RetryCost = 5;
    public const int TimeoutRetryCost = 10;
    public const int NoRetryIncrement = 1;

    private readonly Lock _gate = new();
    private int _available = capacity;

    public int Available
    {
        get
        {
            lock (_gate)
            {
                return _available;
            }
        }
    }

    public static int CostOf(AwsApiException error) =>
        error.Code is "RequestTimeout" or "ConnectionFailure" ? TimeoutRetryCost : RetryCost;

    public bool TryAcquire(int cost)
    {
        lock (_gate)
        {
            if (_available < cost)
            {
                return false;
            }

            _available -= cost;
            return true;
        }
    }

    public void Release(int amount)
    {
        lock (_gate)
        {
            _available = Math.Min(_capacity, _available + amount);
        }
    }
}
