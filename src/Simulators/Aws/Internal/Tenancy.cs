using System.Globalization;
using System.Text;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>
/// Who signed a request: an account's IAM user (long-term key) or a role session from AssumeRole (temporary key,
/// session token and expiry). <see cref="RoleArn"/> is the assumed role's IAM ARN for sessions, else null.
/// </summary>
internal sealed record Principal(string Account, string AccessKeyId, string Secret, string Arn, string UserId, string? SessionToken, DateTimeOffset? Expiration, string? RoleArn)
{
    public bool IsSession => SessionToken is not null;
}

/// <summary>One account in one region: its World and the services answering from it.</summary>
internal sealed class AccountRegion
{
    public AccountRegion(World world)
    {
        World = world;
        Eks = new EksService(world);
        Iam = new IamService(world);
        Ec2 = new Ec2Service(world);
    }

    public World World { get; }

    public EksService Eks { get; }

    public IamService Iam { get; }

    public Ec2Service Ec2 { get; }
}

/// <summary>
/// The accounts and regions the simulator holds: one <see cref="World"/> per (account, region), all Worlds of an account
/// sharing its IAM (<see cref="AccountIam"/>), and the key table (long-term keys and the temporary ones STS mints).
/// </summary>
internal sealed class Tenancy
{
    private const string KeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private readonly Dictionary<(string Account, string Region), AccountRegion> _regions = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Principal> _longTerm = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Principal> _users = new(StringComparer.Ordinal);
    private int _extraKeys;
    private readonly Lock _sessionsGate = new();
    private readonly Dictionary<string, Principal> _sessions = new(StringComparer.Ordinal);
    private readonly Random _sessionRandom = new(20110615);

    public Tenancy(AwsSimulatorOptions options)
    {
        if (options.Accounts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Accounts must be at least 1.");
        }

        Options = options;
        Regions = [options.Region, .. options.AdditionalRegions.Where(r => r != options.Region).Distinct(StringComparer.Ordinal)];
        var accounts = new List<AwsAccount> { new(options.AccountId, options.AccessKeyId, options.SecretAccessKey) };
        for (var i = 1; accounts.Count < options.Accounts; i++)
        {
            var id = ExtraAccountId(i);
            if (accounts.Exists(a => a.Id == id))
            {
                continue;
            }

            var random = new Random(4242 + accounts.Count);
            accounts.Add(new AwsAccount(id, "AKIA" + Draw(random, KeyAlphabet, 16), Draw(random, SecretAlphabet, 40)));
        }

        Accounts = accounts;
        for (var a = 0; a < accounts.Count; a++)
        {
            var account = accounts[a];
            var iam = new AccountIam(account.Id);
            for (var r = 0; r < Regions.Count; r++)
            {
                _regions[(account.Id, Regions[r])] = new AccountRegion(new World(options, iam, Regions[r], a, r));
            }

            var userId = "AIDA" + Draw(new Random(777 + a), KeyAlphabet, 17);
            _longTerm[account.AccessKeyId] = new Principal(account.Id, account.AccessKeyId, account.SecretAccessKey, account.UserArn, userId, null, null, null);
            _users[account.Id] = _longTerm[account.AccessKeyId];
        }

        Primary = _regions[(options.AccountId, options.Region)];
    }

    public AwsSimulatorOptions Options { get; }

    public IReadOnlyList<AwsAccount> Accounts { get; }

    /// <summary>The served regions, <see cref="AwsSimulatorOptions.Region"/> first.</summary>
    public IReadOnlyList<string> Regions { get; }

    /// <summary>The first account in the first region.</summary>
    public AccountRegion Primary { get; }

    public DateTimeOffset Now => Options.TimeProvider.GetUtcNow();

    public AccountRegion? Find(string account, string region) => _regions.GetValueOrDefault((account, region));

    /// <summary>For the control API and the test-facing API: null means the first account / the first region.</summary>
    public AccountRegion Select(string? account, string? region)
    {
        var a = string.IsNullOrEmpty(account) ? Options.AccountId : account;
        var r = string.IsNullOrEmpty(region) ? Options.Region : region;
        return Find(a, r) ?? throw new ArgumentException(
            Accounts.Any(x => x.Id == a) ? $"Region {r} is not served (regions: {string.Join(", ", Regions)})." : $"No account {a} (accounts: {string.Join(", ", Accounts.Select(x => x.Id))}).");
    }

    /// <summary>The account's IAM user, for unsigned requests and as the source identity of long-term keys.</summary>
    public Principal UserOf(string account) => _users[account];

    /// <summary>Another long-term access key of the account's user (IAM CreateAccessKey); calls signed with it are logged with it.</summary>
    public AwsAccount AddAccessKey(string account)
    {
        var user = _users.TryGetValue(account, out var found) ? found : throw new ArgumentException($"No account {account}.", nameof(account));
        var random = new Random(9000 + Interlocked.Increment(ref _extraKeys));
        string key;
        do
        {
            key = "AKIA" + Draw(random, KeyAlphabet, 16);
        }
        while (_longTerm.ContainsKey(key));

        var principal = user with { AccessKeyId = key, Secret = Draw(random, SecretAlphabet, 40) };
        _longTerm[key] = principal;
        return new AwsAccount(account, key, principal.Secret);
    }

    /// <summary>The holder of a key, long-term or temporary (expired sessions included: the caller decides what expiry means).</summary>
    public Principal? Resolve(string accessKeyId)
    {
        if (_longTerm.TryGetValue(accessKeyId, out var user))
        {
            return user;
        }

        lock (_sessionsGate)
        {
            return _sessions.GetValueOrDefault(accessKeyId);
        }
    }

    /// <summary>The secret key and session token of every session issued, for tests that look for leaks.</summary>
    public IReadOnlyList<string> SessionSecrets
    {
        get { lock (_sessionsGate) { return [.. _sessions.Values.SelectMany(p => new[] { p.Secret, p.SessionToken! })]; } }
    }

    public int SessionCount
    {
        get { lock (_sessionsGate) { return _sessions.Count; } }
    }

    /// <summary>Mints temporary credentials (ASIA key, secret, session token) for a role session.</summary>
    public Principal Mint(string account, string roleArn, string assumedRoleArn, string assumedRoleId, DateTimeOffset expiration)
    {
        lock (_sessionsGate)
        {
            string key;
            do
            {
                key = "ASIA" + Draw(_sessionRandom, KeyAlphabet, 16);
            }
            while (_sessions.ContainsKey(key) || _longTerm.ContainsKey(key));

            var secret = Draw(_sessionRandom, SecretAlphabet, 40);
            // Real tokens are opaque and long (several hundred characters); base64 of random bytes looks the part.
            var tokenBytes = new byte[300];
            _sessionRandom.NextBytes(tokenBytes);
            var token = "IQoJb3JpZ2luX2Vj" + Convert.ToBase64String(tokenBytes);
            var session = new Principal(account, key, secret, assumedRoleArn, assumedRoleId, token, expiration, roleArn);
            _sessions[key] = session;
            return session;
        }
    }

    /// <summary>222222222222 … 999999999999, then zero-padded indexes: deterministic and easy to tell apart in logs.</summary>
    private static string ExtraAccountId(int i) =>
        i <= 8 ? new string((char)('1' + i), 12) : i.ToString("D12", CultureInfo.InvariantCulture);

    private static string Draw(Random random, string alphabet, int length)
    {
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            sb.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return sb.ToString();
    }
}
