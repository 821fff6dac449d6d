using EksOperator.Aws.Resources;
using EksOperator.Aws.Roles;
using EksOperator.Runtime;

namespace EksOperator.Controllers.Loop;

/// <summary>What every loop shares, in one place so that a kind's registration needs no list of services.</summary>
internal sealed record LoopServices(
    ReconcilePass Pass,
    StatusConditions Conditions,
    Polling Polling,
    IEventRecorder Events,
    IFinalizers Finalizers,
    IRoleManager Roles,
    IEksTags Tags,
    UpdateTracker Updates,
    Claims Claims,
    OwnedRoles OwnedRoles,
    Identities Identities);
