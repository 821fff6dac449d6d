namespace EksOperator.Simulators.Kubernetes;

/// <summary>How to start a <see cref="KubernetesSimulator"/>.</summary>
public sealed record KubernetesSimulatorOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>CRD YAML files applied at start, exactly as <c>kubectl apply -f</c> would (through apiextensions.k8s.io/v1).</summary>
    public IReadOnlyList<string> CrdFiles { get; init; } = [];

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How many changes watchers can resume from; an older resourceVersion gets 410 Expired.</summary>
    public int WatchHistorySize { get; init; } = 1000;

    /// <summary>How often watchers that asked for bookmarks get one.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>One distinct kind of request the simulator served (for deriving RBAC rules).</summary>
public sealed record ApiAccess(string Verb, string Group, string Resource, string Subresource);
