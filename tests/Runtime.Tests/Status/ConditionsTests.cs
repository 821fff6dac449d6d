using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace EksOperator.Runtime.Tests.Status;

public sealed class ConditionsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Transition_time_moves_only_when_the_status_flips()
    {
        var conditions = new List<V1Condition>();
        Assert.True(conditions.Set("Ready", ConditionStatus.False, "Creating", "starting", 1, _time));
        var created = conditions.Find("Ready")!.LastTransitionTime;

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(conditions.Set("Ready", ConditionStatus.False, "Updating", "still going", 2, _time));
        Assert.Equal(created, conditions.Find("Ready")!.LastTransitionTime);
        Assert.False(conditions.Set("Ready", ConditionStatus.False, "Updating", "still going", 2, _time));

        _time.Advance(TimeSpan.FromMinutes(1).Add(TimeSpan.FromMilliseconds(400)));
        Assert.True(conditions.Set("Ready", ConditionStatus.True, "Available", null, 2, _time));
        var flipped = conditions.Find("Ready")!;
        Assert.Equal(new DateTime(2026, 5, 1, 10, 2, 0, DateTimeKind.Utc), flipped.LastTransitionTime);
        Assert.Equal(string.Empty, flipped.Message);
        Assert.True(conditions.IsTrue("Ready"));
        Assert.False(conditions.IsFalse("Ready"));
        Assert.Single(conditions);
    }

    [Fact]
    public void Find_and_remove_by_type()
    {
        var conditions = new List<V1Condition>();
        conditions.Set("Ready", ConditionStatus.Unknown, "Pending", "", null, _time);
        conditions.Set("Stalled", ConditionStatus.True, "InvalidSpec", "bad", 1, _time);

        Assert.Null(conditions.Find("Reconciling"));
        Assert.True(conditions.Remove("Stalled"));
        Assert.False(conditions.Remove("Stalled"));
        Assert.Throws<ArgumentOutOfRangeException>(() => conditions.Set("Ready", "maybe", "X", null, null, _time));
    }
}
