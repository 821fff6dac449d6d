namespace EksOperator.Entities;

/// <summary>Names shared by the API, the operator and the generated CRDs.</summary>
public static class OperatorApi
{
    /// <summary>API group of every kind.</summary>
    public const string Group = "eks.operator.dev";

    /// <summary>API version of every kind.</summary>
    public const string Version = "v1alpha1";

    /// <summary>apiVersion as written in manifests.</summary>
    public const string ApiVersion = Group + "/" + Version;

    /// <summary>Category that lists every kind (<c>kubectl get eks</c>).</summary>
    public const string Category = "eks";

    /// <summary>Finalizer the operator adds just before its first AWS create.</summary>
    public const string Finalizer = "eks.operator.dev/finalizer";

    /// <summary>Plural resource names.</summary>
    public static class Plurals
    {
        /// <summary>EksCluster.</summary>
        public const string EksClusters = "eksclusters";

        /// <summary>ManagedNodeGroup.</summary>
        public const string ManagedNodeGroups = "managednodegroups";

        /// <summary>FargateProfile.</summary>
        public const string FargateProfiles = "fargateprofiles";

        /// <summary>Addon.</summary>
        public const string Addons = "addons";

        /// <summary>AccessEntry.</summary>
        public const string AccessEntries = "accessentries";

        /// <summary>PodIdentityAssociation.</summary>
        public const string PodIdentityAssociations = "podidentityassociations";

        /// <summary>Capability.</summary>
        public const string Capabilities = "capabilities";

        /// <summary>AwsIdentity (cluster-scoped).</summary>
        public const string AwsIdentities = "awsidentities";
    }
}

/// <summary>Annotations users set on objects.</summary>
public static class Annotations
{
    /// <summary><c>"true"</c>: no reconcile at all; status says Paused.</summary>
    public const string Paused = "eks.operator.dev/paused";

    /// <summary>Any new value: reconcile now, ignoring the resync timer.</summary>
    public const string ReconcileRequestedAt = "eks.operator.dev/reconcile-requested-at";

    /// <summary><c>"true"</c>: take over an existing AWS resource that no other object owns.</summary>
    public const string Adopt = "eks.operator.dev/adopt";

    /// <summary>
    /// On an EksCluster, a minor (<c>"1.33"</c>): accept EKS's upgrade insights for the step to that minor and send
    /// UpdateClusterVersion with force. It never skips the add-on or node-group checks, and no other step.
    /// </summary>
    public const string ForceUpgrade = "eks.operator.dev/force-upgrade";
}

/// <summary>AWS tags the operator puts on everything it creates; users cannot override them.</summary>
public static class OwnershipTags
{
    /// <summary>The owning object's UID.</summary>
    public const string OwnerUid = "eks.operator.dev/owner-uid";

    /// <summary>The owning object's namespace.</summary>
    public const string Namespace = "eks.operator.dev/namespace";

    /// <summary>The owning object's name.</summary>
    public const string Name = "eks.operator.dev/name";

    /// <summary>Marks the resource as managed by this operator.</summary>
    public const string ManagedBy = "app.kubernetes.io/managed-by";

    /// <summary>Value of <see cref="ManagedBy"/>.</summary>
    public const string ManagedByValue = "eks-operator";

    /// <summary>Set when the owner was deleted with deletionPolicy Retain: the resource is free to be adopted.</summary>
    public const string Released = "eks.operator.dev/released";

    /// <summary>Prefix reserved for the operator's own tag keys.</summary>
    public const string ReservedPrefix = "eks.operator.dev/";
}

/// <summary>Labels the operator writes on objects it creates, and <see cref="Shard"/>, which users set.</summary>
public static class Labels
{
    /// <summary>
    /// The shard (a label value) whose replicas reconcile the object; without it the object belongs to the default
    /// shard. A cluster's children must carry their cluster's value. Changing it hands the object over.
    /// </summary>
    public const string Shard = "eks.operator.dev/shard";

    /// <summary>Argo CD's label marking a cluster secret.</summary>
    public const string ArgoCdSecretType = "argocd.argoproj.io/secret-type";

    /// <summary>Names the EksCluster an output belongs to.</summary>
    public const string Cluster = "eks.operator.dev/cluster";
}

/// <summary>The kstatus condition types every kind carries.</summary>
public static class ConditionTypes
{
    /// <summary>True when the AWS resource exists, is ACTIVE and matches the spec of observedGeneration.</summary>
    public const string Ready = "Ready";

    /// <summary>True while the operator works towards the spec.</summary>
    public const string Reconciling = "Reconciling";

    /// <summary>True when progress needs a human; the message says what to change.</summary>
    public const string Stalled = "Stalled";
}

/// <summary>Condition reasons (PascalCase, one word).</summary>
public static class ConditionReasons
{
    /// <summary>The AWS resource is being created.</summary>
    public const string Creating = "Creating";

    /// <summary>Two or more AwsIdentity objects select the object's namespace.</summary>
    public const string IdentityConflict = "IdentityConflict";

    /// <summary>No AwsIdentity selects the namespace and the operator requires one.</summary>
    public const string IdentityRequired = "IdentityRequired";

    /// <summary>The AwsIdentity the object uses cannot be used (its role chain is broken, or AWS refused AssumeRole).</summary>
    public const string IdentityNotReady = "IdentityNotReady";

    /// <summary>An AwsIdentity whose role was assumed.</summary>
    public const string Assumed = "Assumed";

    /// <summary>An update is in flight.</summary>
    public const string Updating = "Updating";

    /// <summary>The control plane is being upgraded one minor.</summary>
    public const string UpgradingControlPlane = "UpgradingControlPlane";

    /// <summary>Node groups are being upgraded to the control plane's minor.</summary>
    public const string UpgradingNodeGroups = "UpgradingNodeGroups";

    /// <summary>An upgrade step's preflight found blockers (EKS insights, add-ons, node groups): Stalled before any change.</summary>
    public const string UpgradeBlocked = "UpgradeBlocked";

    /// <summary>The cluster's add-ons are moving to the minor the control plane has just reached.</summary>
    public const string UpgradingAddons = "UpgradingAddons";

    /// <summary>An upgrade step's preflight is running (EKS insights, refreshed when stale).</summary>
    public const string UpgradePreflight = "UpgradePreflight";

    /// <summary>The cluster this object depends on is not ACTIVE yet.</summary>
    public const string WaitingForCluster = "WaitingForCluster";

    /// <summary>The object was relabelled into this shard; the shard that reconciled it has not released it yet.</summary>
    public const string ShardHandover = "ShardHandover";

    /// <summary>The AWS resource (or its dependents) is being deleted.</summary>
    public const string Deleting = "Deleting";

    /// <summary>The spec cannot be applied as written.</summary>
    public const string InvalidSpec = "InvalidSpec";

    /// <summary>An AWS resource of that name exists and is not ours.</summary>
    public const string AlreadyExists = "AlreadyExists";

    /// <summary>AWS denied the operator's credentials.</summary>
    public const string AccessDenied = "AccessDenied";

    /// <summary>AWS returned a terminal error.</summary>
    public const string AwsError = "AwsError";

    /// <summary>The paused annotation is set.</summary>
    public const string Paused = "Paused";

    /// <summary>AWS differs from the spec (ObserveOnly, or a correction is pending).</summary>
    public const string Drifted = "Drifted";

    /// <summary>AWS matches the spec.</summary>
    public const string Available = "Available";

    /// <summary>Something blocks deletion.</summary>
    public const string DeletionBlocked = "DeletionBlocked";

    /// <summary>The EksCluster named by spec.clusterRef has not existed for the grace period.</summary>
    public const string ClusterNotFound = "ClusterNotFound";

    /// <summary>Stalled=False: nothing needs a human.</summary>
    public const string NotStalled = "NotStalled";

    /// <summary>Reconciling=False once the object is in sync: the work is done.</summary>
    public const string Reconciled = "Reconciled";
}
