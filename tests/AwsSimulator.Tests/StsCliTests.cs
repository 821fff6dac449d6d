using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace EksOperator.Simulators.Aws.Tests;

// STS and several accounts through the real AWS CLI, signatures verified. The clock is fake (SigV4 still checks the
// signing time against the wall clock), so sessions expire exactly when the test advances it past Expiration.

internal static class StsScenario
{
    public static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Trust for principals of <paramref name="account"/> that name the external id.</summary>
    public static string TrustAccount(string account, string externalId) =>
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::""" + account
        + """:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":""" + "\"" + externalId + "\"}}}]}";

    public static string TrustPrincipal(string arn) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{arn}}"},"Action":"sts:AssumeRole"}]}""";

    public static async Task<(AwsSimulator Sim, FakeTimeProvider Time)> StartAsync()
    {
        var time = new FakeTimeProvider(Start);
        var sim = await AwsSimulator.StartAsync(new AwsSimulatorOptions { Accounts = 2, TimeProvider = time, TimeScale = CliScenario.TimeScale });
        return (sim, time);
    }

    /// <summary>The session an `aws sts assume-role` printed, as a CLI that uses it.</summary>
    public static AwsCli Session(AwsCli cli, JsonNode assumed)
    {
        var c = assumed["Credentials"]!;
        return cli.With((string)c["AccessKeyId"]!, (string)c["SecretAccessKey"]!, (string)c["SessionToken"]!);
    }

    public static DateTimeOffset Expiration(JsonNode assumed) =>
        DateTimeOffset.Parse((string)assumed["Credentials"]!["Expiration"]!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}

public sealed class StsCrossAccountCliTests
{
    [ToolFact("aws")]
    public async Task A_role_in_account_B_trusting_A_with_an_external_id_is_assumed_and_its_session_sees_Bs_state()
    {
        var (sim, time) = await StsScenario.StartAsync();
        await using var _ = sim;
        var (a, b) = (sim.Accounts[0], sim.Accounts[1]);
        Assert.Equal("123456789012", a.Id);
        Assert.Matches("^[0-9]{12}$", b.Id);
        Assert.NotEqual(a.AccessKeyId, b.AccessKeyId);
        var cliA = new AwsCli(sim);
        var cliB = new AwsCli(sim, b);

        var role = (await cliB.OkAsync("iam", "create-role", "--role-name", "deployer",
            "--assume-role-policy-document", StsScenario.TrustAccount(a.Id, "acme-7f3c"))).Json["Role"]!;
        var roleArn = $"arn:aws:iam::{b.Id}:role/deployer";
        Assert.Equal(roleArn, (string?)role["Arn"]);
        await cliA.FailsWithAsync("NoSuchEntity", "iam", "get-role", "--role-name", "deployer");

        // A new role is not assumable until IAM has propagated it (10 s, scaled); the fake clock has not moved.
        var denied = $"User: {a.UserArn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}";
        var early = await cliA.FailsWithAsync("AccessDenied", "sts", "assume-role", "--role-arn", roleArn, "--role-session-name", "ci", "--external-id", "acme-7f3c");
        Assert.Contains(denied, early.Stderr, StringComparison.Ordinal);
        time.Advance(TimeSpan.FromSeconds(1));

        var missing = await cliA.FailsWithAsync("AccessDenied", "sts", "assume-role", "--role-arn", roleArn, "--role-session-name", "ci");
        Assert.Contains(denied, missing.Stderr, StringComparison.Ordinal);
        await cliA.FailsWithAsync("AccessDenied", "sts", "assume-role", "--role-arn", roleArn, "--role-session-name", "ci", "--external-id", "acme-0000");
        await cliA.FailsWithAsync("AccessDenied", "sts", "assume-role", "--role-arn", $"arn:aws:iam::{b.Id}:role/nobody", "--role-session-name", "ci", "--external-id", "acme-7f3c");

        var assumed = (await cliA.OkAsync("sts", "assume-role", "--role-arn", roleArn, "--role-session-name", "ci", "--external-id", "acme-7f3c")).Json;
        var credentials = assumed["Credentials"]!;
        Assert.Matches("^ASIA[A-Z2-7]{16}$", (string)credentials["AccessKeyId"]!);
        Assert.Equal(40, ((string)credentials["SecretAccessKey"]!).Length);
        Assert.True(((string)credentials["SessionToken"]!).Length > 300);
        Assert.Equal(StsScenario.Start.AddSeconds(3601), StsScenario.Expiration(assumed));
        Assert.Equal($"arn:aws:sts::{b.Id}:assumed-role/deployer/ci", (string?)assumed["AssumedRoleUser"]!["Arn"]);
        Assert.Equal((string)role["RoleId"]! + ":ci", (string?)assumed["AssumedRoleUser"]!["AssumedRoleId"]);

        sim.Seed(new AwsSeed { Clusters = [new AwsSeedCluster { Name = "in-a" }] });
        sim.Seed(b.Id, new AwsSeed { Clusters = [new AwsSeedCluster { Name = "in-b" }] });
        var session = StsScenario.Session(cliA, assumed);
        Assert.Equal(["in-b"], (await session.OkAsync("eks", "list-clusters")).Json["clusters"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(["in-a"], (await cliA.OkAsync("eks", "list-clusters")).Json["clusters"]!.AsArray().Select(c => (string)c!));
        Assert.StartsWith($"arn:aws:eks:us-west-2:{b.Id}:cluster/in-b",
            (string)(await session.OkAsync("eks", "describe-cluster", "--name", "in-b")).Json["cluster"]!["arn"]!, StringComparison.Ordinal);

        var vpcs = (await session.OkAsync("ec2", "describe-vpcs")).Json["Vpcs"]!.AsArray();
        var vpc = Assert.Single(vpcs)!;
        Assert.Equal(sim.DefaultNetworkOf(b.Id).VpcId, (string?)vpc["VpcId"]);
        Assert.NotEqual(sim.DefaultNetwork.VpcId, (string?)vpc["VpcId"]);
        Assert.Equal(b.Id, (string?)vpc["OwnerId"]);

        // The call log says whose state answered: the AssumeRole calls were A's, the session's calls B's.
        Assert.All(sim.Calls.Entries().Where(c => c.Service == "sts"), c => Assert.Equal(a.Id, c.Account));
        Assert.Contains(sim.Calls.EntriesOf(b.Id), c => c.Operation == "ListClusters" && c.StatusCode == 200);
        Assert.Contains(sim.Calls.EntriesOf(b.Id), c => c.Operation == "DescribeVpcs" && c.StatusCode == 200 && c.Region == "us-west-2");
        Assert.Equal(5, sim.Calls.Count("sts:AssumeRole"));
    }
}

public sealed class StsIdentityCliTests
{
    [ToolFact("aws")]
    public async Task Caller_identity_chaining_validation_and_expiry()
    {
        var (sim, time) = await StsScenario.StartAsync();
        await using var _ = sim;
        var (a, b) = (sim.Accounts[0], sim.Accounts[1]);
        sim.Seed(b.Id, new AwsSeed { Roles = [new AwsSeedRole { Name = "reader", AssumeRolePolicyDocument = StsScenario.TrustPrincipal(a.UserArn) }] });
        sim.Seed(new AwsSeed { Roles = [new AwsSeedRole { Name = "back-home", AssumeRolePolicyDocument = StsScenario.TrustPrincipal($"arn:aws:iam::{b.Id}:role/reader") }] });
        var cliA = new AwsCli(sim);

        var user = (await cliA.OkAsync("sts", "get-caller-identity")).Json;
        Assert.Equal(a.Id, (string?)user["Account"]);
        Assert.Equal(a.UserArn, (string?)user["Arn"]);
        Assert.Matches("^AIDA[A-Z2-7]{17}$", (string)user["UserId"]!);
        Assert.Equal(b.Id, (string?)(await new AwsCli(sim, b).OkAsync("sts", "get-caller-identity")).Json["Account"]);

        var readerArn = $"arn:aws:iam::{b.Id}:role/reader";
        var bad = await cliA.FailsWithAsync("ValidationError", "sts", "assume-role", "--role-arn", readerArn, "--role-session-name", "bad name");
        Assert.Contains("Value 'bad name' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern", bad.Stderr, StringComparison.Ordinal);
        var tooLong = await cliA.FailsWithAsync("ValidationError", "sts", "assume-role", "--role-arn", readerArn, "--role-session-name", "s0", "--duration-seconds", "7200");
        Assert.Contains("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", tooLong.Stderr, StringComparison.Ordinal);

        var assumed = (await cliA.OkAsync("sts", "assume-role", "--role-arn", readerArn, "--role-session-name", "s1", "--duration-seconds", "900")).Json;
        Assert.Equal(StsScenario.Start.AddSeconds(900), StsScenario.Expiration(assumed));
        var session = StsScenario.Session(cliA, assumed);
        var identity = (await session.OkAsync("sts", "get-caller-identity")).Json;
        Assert.Equal(b.Id, (string?)identity["Account"]);
        Assert.Equal($"arn:aws:sts::{b.Id}:assumed-role/reader/s1", (string?)identity["Arn"]);
        Assert.Equal((string?)assumed["AssumedRoleUser"]!["AssumedRoleId"], (string?)identity["UserId"]);

        // Without its session token the temporary key is unknown, as in AWS.
        var c = assumed["Credentials"]!;
        var tokenless = cliA.With((string)c["AccessKeyId"]!, (string)c["SecretAccessKey"]!, sessionToken: null);
        await tokenless.FailsWithAsync("InvalidClientTokenId", "sts", "get-caller-identity");
        await tokenless.FailsWithAsync("UnrecognizedClientException", "eks", "list-clusters");

        // Role chaining: B's session assumes a role back in A; the chained session is capped at an hour.
        var backHome = $"arn:aws:iam::{a.Id}:role/back-home";
        var chainedTooLong = await session.FailsWithAsync("ValidationError", "sts", "assume-role", "--role-arn", backHome, "--role-session-name", "s2", "--duration-seconds", "3700");
        Assert.Contains("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.", chainedTooLong.Stderr, StringComparison.Ordinal);
        var chained = (await session.OkAsync("sts", "assume-role", "--role-arn", backHome, "--role-session-name", "s2")).Json;
        Assert.Equal(StsScenario.Start.AddSeconds(3600), StsScenario.Expiration(chained));
        Assert.Equal(a.Id, (string?)(await StsScenario.Session(cliA, chained).OkAsync("sts", "get-caller-identity")).Json["Account"]);
        // A's user is not trusted by back-home (it names B's role only).
        await cliA.FailsWithAsync("AccessDenied", "sts", "assume-role", "--role-arn", backHome, "--role-session-name", "s3");

        // 900 s later the first session has expired; each service says so in its own words.
        time.Advance(TimeSpan.FromSeconds(900));
        var expired = await session.FailsWithAsync("ExpiredToken", "sts", "get-caller-identity");
        Assert.Contains("The security token included in the request is expired", expired.Stderr, StringComparison.Ordinal);
        await session.FailsWithAsync("ExpiredTokenException", "eks", "list-clusters");
        await session.FailsWithAsync("RequestExpired", "ec2", "describe-vpcs");
        await session.FailsWithAsync("ExpiredToken", "iam", "list-roles");
        Assert.Equal(a.Id, (string?)(await StsScenario.Session(cliA, chained).OkAsync("sts", "get-caller-identity")).Json["Account"]);
    }
}
