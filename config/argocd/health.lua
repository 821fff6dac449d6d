-- Argo CD health check for every eks.operator.dev kind (EksCluster, ManagedNodeGroup, FargateProfile, Addon, AccessEntry, PodIdentityAssociation, Capability).
-- Follows kstatus: Stalled=True is the only failure; Reconciling=True, a status older than the spec,
-- no status yet, or a pending deletion mean work in progress; Ready=True on the current generation is healthy.
-- Uses only the base library (Argo CD runs health scripts without the Lua standard libraries).
local function condition(conditions, type)
  for _, c in ipairs(conditions) do
    if c.type == type then return c end
  end
  return nil
end

local function text(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then return c.message end
  if c ~= nil and c.reason ~= nil and c.reason ~= "" then return c.reason end
  return fallback
end

local meta = obj.metadata or {}
local annotations = meta.annotations or {}

-- A paused object is not reconciled at all until the annotation is removed.
if annotations["eks.operator.dev/paused"] == "true" then
  return { status = "Suspended", message = "Reconciliation paused (annotation eks.operator.dev/paused)" }
end

if meta.deletionTimestamp ~= nil then
  return { status = "Progressing", message = "Deleting" }
end

local status = obj.status
if status == nil or status.observedGeneration == nil then
  return { status = "Progressing", message = "Waiting for the operator to observe the resource" }
end

if meta.generation ~= nil and status.observedGeneration < meta.generation then
  return { status = "Progressing", message = "Waiting for the operator to observe generation " .. tostring(meta.generation) }
end

local conditions = status.conditions or {}

local stalled = condition(conditions, "Stalled")
if stalled ~= nil and stalled.status == "True" then
  return { status = "Degraded", message = text(stalled, "Stalled") }
end

local reconciling = condition(conditions, "Reconciling")
if reconciling ~= nil and reconciling.status == "True" then
  return { status = "Progressing", message = text(reconciling, "Reconciling") }
end

local ready = condition(conditions, "Ready")
if ready ~= nil and ready.status == "True" then
  return { status = "Healthy", message = text(ready, "Ready") }
end

return { status = "Progressing", message = text(ready, "Waiting for Ready") }
