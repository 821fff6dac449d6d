using System.Reflection;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace EksOperator.Architecture.Tests;

/// <summary>
/// Calls the house rules forbid, found in the IL: wall clocks and timer-less delays in the operator (TimeProvider
/// instead), and blocking on tasks anywhere.
/// </summary>
public sealed class ForbiddenCallsTests
{
    private static readonly string[] Clocks =
    [
        "System.DateTime::get_UtcNow", "System.DateTime::get_Now", "System.DateTimeOffset::get_UtcNow",
        "System.DateTimeOffset::get_Now", "System.Threading.Thread::Sleep",
    ];

    private static readonly string[] Blocking =
    [
        "System.Threading.Tasks.Task::Wait", "System.Threading.Tasks.Task`1::get_Result",
    ];

    [Fact]
    public void Operator_code_reads_time_only_through_TimeProvider()
    {
        var offenders = Rooms.OperatorSide.SelectMany(a => Calls(a, IsClockOrBareDelay)).ToList();
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Fact]
    public void No_code_blocks_on_tasks()
    {
        var offenders = Rooms.OperatorSide.Concat(Rooms.SimulatorSide).SelectMany(a => Calls(a, IsBlocking)).ToList();
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Fact]
    public void The_scanner_sees_forbidden_calls_where_they_are()
    {
        // Guard against a scanner that finds nothing: this test assembly itself calls DateTime.UtcNow below.
        var found = Calls(typeof(ForbiddenCallsTests).Assembly, IsClockOrBareDelay).ToList();
        Assert.Contains(found, f => f.Contains(nameof(UsesTheClock), StringComparison.Ordinal));
    }

    internal static DateTime UsesTheClock() => DateTime.UtcNow;

    private static bool IsClockOrBareDelay(MethodReference method)
    {
        var name = $"{method.DeclaringType.FullName}::{method.Name}";
        if (Clocks.Contains(name)) return true;
        // Task.Delay is allowed only in its TimeProvider overloads.
        return name == "System.Threading.Tasks.Task::Delay"
            && !method.Parameters.Any(p => p.ParameterType.FullName == "System.TimeProvider");
    }

    private static bool IsBlocking(MethodReference method)
    {
        var type = method.DeclaringType is GenericInstanceType g ? g.ElementType.FullName : method.DeclaringType.FullName;
        return Blocking.Contains($"{type}::{method.Name}");
    }

    private static IEnumerable<string> Calls(Assembly assembly, Func<MethodReference, bool> forbidden)
    {
        using var module = ModuleDefinition.ReadModule(assembly.Location);
        foreach (var type in module.GetTypes())
        {
            foreach (var method in type.Methods.Where(m => m.HasBody))
            {
                foreach (var instruction in method.Body.Instructions)
                {
                    if (instruction.OpCode.Code is Code.Call or Code.Callvirt or Code.Newobj
                        && instruction.Operand is MethodReference target && forbidden(target))
                    {
                        yield return $"{assembly.GetName().Name}: {type.FullName}.{method.Name} calls {target.DeclaringType.Name}.{target.Name}";
                    }
                }
            }
        }
    }
}
