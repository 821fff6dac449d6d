using System.Net;
using System.Text.Json.Nodes;
using EksOperator.Aws.Eks;
using EksOperator.Aws.Tests.Support;

namespace EksOperator.Aws.Tests.Wire;

public sealed class EksWireTests
{
    private const string ClusterArn = "arn:aws:eks:us-west-2:012345678910:cluster/devel";

    // Shaped like the model's DescribeCluster example: epoch-second timestamps with a fraction, upper-case status.
    private const string DescribeClusterResponse = """
        {
          "cluster": {
            "name": "devel",
            "arn": "arn:aws:eks:us-west-2:012345678910:cluster/devel",
            "createdAt": 1527807879.988,
            "version": "1.33",
            "endpoint": "https://EXAMPLE0A04F01705DD065655C30CC3D.yl4.us-west-2.eks.amazonaws.com",
            "roleArn": "arn:aws:iam::012345678910:role/eks-service-role-AWSServiceRoleForAmazonEKS-J7ONKE3BQ4PI",
            "resourcesVpcConfig": {
              "subnetIds": ["subnet-6782e71e", "subnet-e7e761ac"],
              "securityGroupIds": ["sg-6979fe18"],
              "clusterSecurityGroupId": "sg-0a1b2c3d",
              "vpcId": "vpc-950809ec",
              "endpointPublicAccess": true,
              "endpointPrivateAccess": false,
              "publicAccessCidrs": ["0.0.0.0/0"]
            },
            "kubernetesNetworkConfig": {"serviceIpv4Cidr": "10.100.0.0/16", "ipFamily": "ipv4", "elasticLoadBalancing": {"enabled": false}},
            "logging": {"clusterLogging": [{"types": ["api", "audit"], "enabled": true}, {"types": ["authenticator", "controllerManager", "scheduler"], "enabled": false}]},
            "identity": {"oidc": {"issuer": "https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE0A04F01705DD065655C30CC3D"}},
            "status": "ACTIVE",
            "certificateAuthority": {"data": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t"},
            "clientRequestToken": "f1b1d9a2-6b8e-4c7b-9b4f-3d2e1a0b9c8d-uid",
            "platformVersion": "eks.7",
            "tags": {"eks-operator/owner-uid": "1234"},
            "health": {"issues": []},
            "accessConfig": {"authenticationMode": "API_AND_CONFIG_MAP"},
            "upgradePolicy": {"supportType": "EXTENDED"},
            "someFieldAwsAddsLater": {"x": 1}
          }
        }
        """;

    [Fact]
    public async Task CreateCluster_sends_the_model_body_signed_for_eks()
    {
        var handler = new StubHandler().Respond(HttpStatusCode.OK, """{"cluster":{"name":"devel","status":"CREATING","certificateAuthority":{}}}""");
        var eks = TestClients.Eks(handler);

        var cluster = await eks.CreateClusterAsync(new CreateClusterRequest
        {
            Name = "devel",
            Version = "1.33",
            RoleArn = "arn:aws:iam::012345678910:role/eks-cluster",
            ResourcesVpcConfig = new VpcConfigRequest { SubnetIds = ["subnet-a", "subnet-b"], EndpointPublicAccess = true, EndpointPrivateAccess = false },
            Logging = new Logging { ClusterLogging = [new LogSetup { Types = [EksValues.LogTypes.Api, EksValues.LogTypes.Audit], Enabled = true }] },
            AccessConfig = new CreateAccessConfigRequest { AuthenticationMode = EksValues.AuthenticationModes.Api, BootstrapClusterCreatorAdminPermissions = false },
            UpgradePolicy = new UpgradePolicy { SupportType = EksValues.SupportTypes.Standard },
            ClientRequestToken = "eks-operator-0d4a8c1e-5f7b-4c2d-9e3f-1a2b3c4d5e6f",
            Tags = new Dictionary<string, string> { ["eks-operator/owner-uid"] = "1234" },
        });

        Assert.Equal(ClusterStatus.Creating, cluster.Status);
        var request = handler.Single;
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/clusters", request.Uri.AbsolutePath);
        Assert.StartsWith("application/json", request.Header("content-type"), StringComparison.Ordinal);
        var expected = JsonNode.Parse("""
            {
              "name": "devel",
              "version": "1.33",
              "roleArn": "arn:aws:iam::012345678910:role/eks-cluster",
              "resourcesVpcConfig": {"subnetIds": ["subnet-a", "subnet-b"], "endpointPublicAccess": true, "endpointPrivateAccess": false},
              "logging": {"clusterLogging": [{"types": ["api", "audit"], "enabled": true}]},
              "clientRequestToken": "eks-operator-0d4a8c1e-5f7b-4c2d-9e3f-1a2b3c4d5e6f",
              "tags": {"eks-operator/owner-uid": "1234"},
              "accessConfig": {"bootstrapClusterCreatorAdminPermissions": false, "authenticationMode": "API"},
              "upgradePolicy": {"supportType": "STANDARD"}
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(request.BodyText)), request.BodyText);

        var scope = SigV4Check.Verify(request, TestClients.SecretKey);
        Assert.Equal(("AKIDEXAMPLE", "us-west-2", "eks"), (scope.AccessKey, scope.Region, scope.Service));
        Assert.Contains("x-amz-content-sha256", scope.SignedHeaders);
    }

    [Fact]
    public async Task DescribeCluster_reads_the_reference_response()
    {
        var handler = new StubHandler().Respond(HttpStatusCode.OK, DescribeClusterResponse, headers: ("x-amzn-RequestId", "req-1"));
        var eks = TestClients.Eks(handler);

        var cluster = await eks.DescribeClusterAsync("devel");

        Assert.NotNull(cluster);
        Assert.Equal(HttpMethod.Get, handler.Single.Method);
        Assert.Equal("/clusters/devel", handler.Single.Uri.AbsolutePath);
        Assert.Empty(handler.Single.Body);
        SigV4Check.Verify(handler.Single, TestClients.SecretKey);
        Assert.Equal(ClusterStatus.Active, cluster.Status);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1527807879988), cluster.CreatedAt);
        Assert.Equal("1.33", cluster.Version);
        Assert.Equal(ClusterArn, cluster.Arn);
        Assert.Equal(["subnet-6782e71e", "subnet-e7e761ac"], cluster.ResourcesVpcConfig!.SubnetIds!);
        Assert.Equal("vpc-950809ec", cluster.ResourcesVpcConfig.VpcId);
        Assert.True(cluster.ResourcesVpcConfig.EndpointPublicAccess);
        Assert.Equal("10.100.0.0/16", cluster.KubernetesNetworkConfig!.ServiceIpv4Cidr);
        Assert.Equal(2, cluster.Logging!.ClusterLogging!.Count);
        Assert.Equal(["api", "audit"], cluster.Logging.ClusterLogging[0].Types!);
        Assert.StartsWith("https://oidc.eks.us-west-2.amazonaws.com/id/", cluster.Identity!.Oidc!.Issuer, StringComparison.Ordinal);
        Assert.Equal("LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t", cluster.CertificateAuthority!.Data);
        Assert.Equal("eks.7", cluster.PlatformVersion);
        Assert.Equal("1234", cluster.Tags!["eks-operator/owner-uid"]);
        Assert.Equal(EksValues.AuthenticationModes.ApiAndConfigMap, cluster.AccessConfig!.AuthenticationMode);
        Assert.Equal(EksValues.SupportTypes.Extended, cluster.UpgradePolicy!.SupportType);
        Assert.Empty(cluster.Health!.Issues!);
    }

    [Fact]
    public async Task Describe_returns_null_on_ResourceNotFoundException()
    {
        var handler = new StubHandler().Respond(
            HttpStatusCode.NotFound,
            """{"clusterName":null,"nodegroupName":null,"fargateProfileName":null,"addonName":null,"subscriptionId":null,"message":"No cluster found for name: devel."}""",
            headers: [("x-amzn-ErrorType", "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.eks/"), ("x-amzn-RequestId", "req-404")]);
        var eks = TestClients.Eks(handler);

        Assert.Null(await eks.DescribeClusterAsync("devel"));
        Assert.Null(await eks.DescribeNodegroupAsync("devel", "ng"));
        Assert.Null(await eks.DescribeFargateProfileAsync("devel", "fp"));
        Assert.Null(await eks.DescribeUpdateAsync(new DescribeUpdateRequest { Name = "devel", UpdateId = "u1" }));
        Assert.Equal(4, handler.Requests.Count);
    }

    [Fact]
    public async Task Error_keeps_code_message_request_id_and_status()
    {
        var handler = new StubHandler().Respond(
            HttpStatusCode.BadRequest,
            """{"clusterName":"devel","nodegroupName":null,"fargateProfileName":null,"addonName":null,"subscriptionId":null,"message":"Unsupported Kubernetes minor version update from 1.31 to 1.33"}""",
            headers: [("x-amzn-ErrorType", "InvalidParameterException"), ("x-amzn-RequestId", "0b9fe5e2-1e2b-4a3e-9a8f-000000000001")]);
        var eks = TestClients.Eks(handler);

        var error = await Assert.ThrowsAsync<AwsApiException>(() => eks.UpdateClusterVersionAsync(new UpdateClusterVersionRequest { Name = "devel", Version = "1.33" }));

        Assert.Equal("InvalidParameterException", error.Code);
        Assert.Equal("Unsupported Kubernetes minor version update from 1.31 to 1.33", error.Message);
        Assert.Equal("0b9fe5e2-1e2b-4a3e-9a8f-000000000001", error.RequestId);
        Assert.Equal(HttpStatusCode.BadRequest, error.HttpStatus);
        Assert.Equal(AwsErrorKind.Invalid, error.Kind);
        Assert.Equal("eks", error.Service);
        Assert.Single(handler.Requests);
        Assert.Equal("/clusters/devel/updates", handler.Single.Uri.AbsolutePath);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"version":"1.33"}"""), JsonNode.Parse(handler.Single.BodyText)));
    }

    [Theory]
    [InlineData("ResourceInUseException", HttpStatusCode.Conflict, "Cluster already exists with name: devel", AwsErrorKind.AlreadyExists)]
    [InlineData("ResourceInUseException", HttpStatusCode.Conflict, "Cluster has nodegroups attached", AwsErrorKind.InUse)]
    [InlineData("ResourceLimitExceededException", HttpStatusCode.BadRequest, "quota", AwsErrorKind.LimitExceeded)]
    [InlineData("AccessDeniedException", HttpStatusCode.Forbidden, "denied", AwsErrorKind.AccessDenied)]
    [InlineData("InvalidRequestException", HttpStatusCode.BadRequest, "invalid given the state of the cluster", AwsErrorKind.InUse)]
    [InlineData("UnsupportedAvailabilityZoneException", HttpStatusCode.BadRequest, "zone", AwsErrorKind.Invalid)]
    public async Task Error_type_header_is_classified(string code, HttpStatusCode status, string message, AwsErrorKind kind)
    {
        var handler = new StubHandler().Respond(status, $$"""{"message":"{{message}}"}""", headers: ("x-amzn-ErrorType", code));
        var error = await Assert.ThrowsAsync<AwsApiException>(() => TestClients.Eks(handler).DeleteClusterAsync("devel"));
        Assert.Equal((code, kind), (error.Code, error.Kind));
    }

    [Fact]
    public async Task Body_type_wins_over_the_header_and_loses_its_namespace()
    {
        var handler = new StubHandler().Respond(HttpStatusCode.BadRequest, """{"__type":"com.amazonaws.eks#ClientException:extra","Message":"bad role"}""", headers: ("x-amzn-ErrorType", "Other"));
        var error = await Assert.ThrowsAsync<AwsApiException>(() => TestClients.Eks(handler).DeleteClusterAsync("devel"));
        Assert.Equal(("ClientException", "bad role"), (error.Code, error.Message));
    }

    [Fact]
    public async Task Tag_operations_put_the_arn_in_one_percent_encoded_segment()
    {
        var handler = new StubHandler().Respond(HttpStatusCode.OK, """{"tags":{"a":"1","b":"2"}}""");
        var eks = TestClients.Eks(handler);

        await eks.TagResourceAsync(ClusterArn, new Dictionary<string, string> { ["a"] = "1" });
        await eks.UntagResourceAsync(ClusterArn, ["b", "c d"]);
        var tags = await eks.ListTagsForResourceAsync(ClusterArn);

        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }, tags);
        const string EncodedPath = "/tags/arn%3Aaws%3Aeks%3Aus-west-2%3A012345678910%3Acluster%2Fdevel";
        Assert.All(handler.Requests, r => Assert.Equal(EncodedPath, r.Uri.AbsolutePath));
        Assert.All(handler.Requests, r => SigV4Check.Verify(r, TestClients.SecretKey));
        Assert.Equal([HttpMethod.Post, HttpMethod.Delete, HttpMethod.Get], handler.Requests.Select(r => r.Method));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"tags":{"a":"1"}}"""), JsonNode.Parse(handler.Requests[0].BodyText)));
        Assert.Equal("?tagKeys=b&tagKeys=c%20d", handler.Requests[1].Uri.Query);
    }

    [Fact]
    public async Task List_calls_send_paging_and_filters_as_query_parameters()
    {
        var handler = new StubHandler()
            .Respond(HttpStatusCode.OK, """{"updateIds":["u1","u2"],"nextToken":"t2"}""")
            .Respond(HttpStatusCode.OK, """{"clusters":["a","b"],"nextToken":null}""")
            .Respond(HttpStatusCode.OK, """{"nodegroups":["ng1"]}""")
            .Respond(HttpStatusCode.OK, """{"fargateProfileNames":["fp1"]}""");
        var eks = TestClients.Eks(handler);

        var updates = await eks.ListUpdatesAsync(new ListUpdatesRequest { Name = "devel", NodegroupName = "ng1", MaxResults = 10, NextToken = "t1" });
        var clusters = await eks.ListClustersAsync();
        var nodegroups = await eks.ListNodegroupsAsync(new ListNodegroupsRequest { ClusterName = "devel" });
        var profiles = await eks.ListFargateProfilesAsync(new ListFargateProfilesRequest { ClusterName = "devel", MaxResults = 5 });

        Assert.Equal(["u1", "u2"], updates.UpdateIds);
        Assert.Equal("t2", updates.NextToken);
        Assert.Equal(["a", "b"], clusters.Clusters);
        Assert.Null(clusters.NextToken);
        Assert.Equal(["ng1"], nodegroups.Nodegroups);
        Assert.Equal(["fp1"], profiles.FargateProfileNames);
        var uris = handler.Requests.Select(r => r.Uri.PathAndQuery).ToArray();
        Assert.Equal("/clusters/devel/updates?maxResults=10&nextToken=t1&nodegroupName=ng1", uris[0]);
        Assert.Equal("/clusters", uris[1]);
        Assert.Equal("/clusters/devel/node-groups", uris[2]);
        Assert.Equal("/clusters/devel/fargate-profiles?maxResults=5", uris[3]);
        Assert.All(handler.Requests, r => SigV4Check.Verify(r, TestClients.SecretKey));
    }

    [Fact]
    public async Task Nodegroup_requests_and_responses_follow_the_model()
    {
        var handler = new StubHandler()
            .Respond(HttpStatusCode.OK, """
                {"nodegroup":{"nodegroupName":"ng1","nodegroupArn":"arn:aws:eks:us-west-2:012345678910:nodegroup/devel/ng1/8ec5a5c2-0000-0000-0000-000000000000",
                 "clusterName":"devel","version":"1.33","releaseVersion":"1.33.0-20250101","createdAt":1700000000,"modifiedAt":1700000000.5,
                 "status":"CREATING","capacityType":"SPOT","scalingConfig":{"minSize":1,"maxSize":3,"desiredSize":2},"instanceTypes":["t3.large"],
                 "subnets":["subnet-a"],"amiType":"AL2023_x86_64_STANDARD","nodeRole":"arn:aws:iam::012345678910:role/node",
                 "labels":{"team":"a"},"taints":[{"key":"dedicated","value":"gpu","effect":"NO_SCHEDULE"}],"diskSize":20,
                 "health":{"issues":[]},"updateConfig":{"maxUnavailable":1},"tags":{}}}
                """)
            .Respond(HttpStatusCode.OK, """{"update":{"id":"5a1b","status":"InProgress","type":"ConfigUpdate","params":[{"type":"DesiredSize","value":"3"}],"createdAt":1700000100.25,"errors":[]}}""");
        var eks = TestClients.Eks(handler);

        var nodegroup = await eks.CreateNodegroupAsync(new CreateNodegroupRequest
        {
            ClusterName = "devel",
            NodegroupName = "ng1",
            Subnets = ["subnet-a"],
            NodeRole = "arn:aws:iam::012345678910:role/node",
            ScalingConfig = new NodegroupScalingConfig { MinSize = 1, MaxSize = 3, DesiredSize = 2 },
            InstanceTypes = ["t3.large"],
            AmiType = "AL2023_x86_64_STANDARD",
            CapacityType = EksValues.CapacityTypes.Spot,
            Taints = [new Taint { Key = "dedicated", Value = "gpu", Effect = TaintEffect.NoSchedule }],
            Labels = new Dictionary<string, string> { ["team"] = "a" },
        });
        var update = await eks.UpdateNodegroupConfigAsync(new UpdateNodegroupConfigRequest
        {
            ClusterName = "devel",
            NodegroupName = "ng1",
            ScalingConfig = new NodegroupScalingConfig { MinSize = 1, MaxSize = 3, DesiredSize = 3 },
            Labels = new UpdateLabelsPayload { RemoveLabels = ["old"] },
            Taints = new UpdateTaintsPayload { AddOrUpdateTaints = [new Taint { Key = "k", Effect = TaintEffect.PreferNoSchedule }] },
        });

        Assert.Equal(NodegroupStatus.Creating, nodegroup.Status);
        Assert.Equal(TaintEffect.NoSchedule, Assert.Single(nodegroup.Taints!).Effect);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000500), nodegroup.ModifiedAt);
        Assert.Equal(2, nodegroup.ScalingConfig!.DesiredSize);
        Assert.Equal((UpdateStatus.InProgress, EksValues.UpdateTypes.ConfigUpdate), (update.Status, update.Type));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000100250), update.CreatedAt);
        Assert.Equal("3", Assert.Single(update.Params!).Value);

        Assert.Equal("/clusters/devel/node-groups", handler.Requests[0].Uri.AbsolutePath);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""
                {"nodegroupName":"ng1","scalingConfig":{"minSize":1,"maxSize":3,"desiredSize":2},"subnets":["subnet-a"],"instanceTypes":["t3.large"],
                 "amiType":"AL2023_x86_64_STANDARD","nodeRole":"arn:aws:iam::012345678910:role/node","labels":{"team":"a"},
                 "taints":[{"key":"dedicated","value":"gpu","effect":"NO_SCHEDULE"}],"capacityType":"SPOT"}
                """),
            JsonNode.Parse(handler.Requests[0].BodyText)),
            handler.Requests[0].BodyText);
        Assert.Equal("/clusters/devel/node-groups/ng1/update-config", handler.Requests[1].Uri.AbsolutePath);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""
                {"labels":{"removeLabels":["old"]},"taints":{"addOrUpdateTaints":[{"key":"k","effect":"PREFER_NO_SCHEDULE"}]},
                 "scalingConfig":{"minSize":1,"maxSize":3,"desiredSize":3}}
                """),
            JsonNode.Parse(handler.Requests[1].BodyText)),
            handler.Requests[1].BodyText);
    }

    [Fact]
    public async Task Version_and_config_updates_and_deletes_use_the_model_uris()
    {
        var update = """{"update":{"id":"u","status":"Successful","type":"VersionUpdate","params":[],"createdAt":1,"errors":[]}}""";
        var handler = new StubHandler()
            .Respond(HttpStatusCode.OK, update)
            .Respond(HttpStatusCode.OK, update)
            .Respond(HttpStatusCode.OK, """{"nodegroup":{"nodegroupName":"ng1","status":"DELETING"}}""")
            .Respond(HttpStatusCode.OK, """{"fargateProfile":{"fargateProfileName":"fp","status":"DELETING"}}""")
            .Respond(HttpStatusCode.OK, """{"cluster":{"name":"devel","status":"DELETING"}}""");
        var eks = TestClients.Eks(handler);

        await eks.UpdateNodegroupVersionAsync(new UpdateNodegroupVersionRequest { ClusterName = "devel", NodegroupName = "ng1", Version = "1.33", Force = true });
        await eks.UpdateClusterConfigAsync(new UpdateClusterConfigRequest { Name = "devel", Logging = new Logging { ClusterLogging = [new LogSetup { Types = ["api"], Enabled = true }] } });
        Assert.Equal(NodegroupStatus.Deleting, (await eks.DeleteNodegroupAsync("devel", "ng1")).Status);
        Assert.Equal(FargateProfileStatus.Deleting, (await eks.DeleteFargateProfileAsync("devel", "fp")).Status);
        Assert.Equal(ClusterStatus.Deleting, (await eks.DeleteClusterAsync("devel")).Status);

        Assert.Equal(
            [
                "POST /clusters/devel/node-groups/ng1/update-version",
                "POST /clusters/devel/update-config",
                "DELETE /clusters/devel/node-groups/ng1",
                "DELETE /clusters/devel/fargate-profiles/fp",
                "DELETE /clusters/devel",
            ],
            handler.Requests.Select(r => $"{r.Method} {r.Uri.PathAndQuery}"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"version":"1.33","force":true}"""), JsonNode.Parse(handler.Requests[0].BodyText)));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"logging":{"clusterLogging":[{"types":["api"],"enabled":true}]}}"""), JsonNode.Parse(handler.Requests[1].BodyText)));
        Assert.All(handler.Requests.Skip(2), r => Assert.Empty(r.Body));
    }

    [Fact]
    public async Task Fargate_profile_round_trip_and_unknown_status()
    {
        var handler = new StubHandler().Respond(HttpStatusCode.OK, """
            {"fargateProfile":{"fargateProfileName":"fp","fargateProfileArn":"arn:aws:eks:us-west-2:012345678910:fargateprofile/devel/fp/1","clusterName":"devel",
             "createdAt":1700000000.001,"podExecutionRoleArn":"arn:aws:iam::012345678910:role/pod","subnets":["subnet-p"],
             "selectors":[{"namespace":"apps","labels":{"run":"fargate"}}],"status":"SOMETHING_NEW","tags":{}}}
            """);
        var eks = TestClients.Eks(handler);

        var profile = await eks.CreateFargateProfileAsync(new CreateFargateProfileRequest
        {
            ClusterName = "devel",
            FargateProfileName = "fp",
            PodExecutionRoleArn = "arn:aws:iam::012345678910:role/pod",
            Subnets = ["subnet-p"],
            Selectors = [new FargateProfileSelector { Namespace = "apps", Labels = new Dictionary<string, string> { ["run"] = "fargate" } }],
            ClientRequestToken = "t",
        });

        Assert.Equal(FargateProfileStatus.Unknown, profile.Status);
        Assert.Equal("apps", Assert.Single(profile.Selectors!).Namespace);
        Assert.Equal("/clusters/devel/fargate-profiles", handler.Single.Uri.AbsolutePath);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"fargateProfileName":"fp","podExecutionRoleArn":"arn:aws:iam::012345678910:role/pod","subnets":["subnet-p"],"selectors":[{"namespace":"apps","labels":{"run":"fargate"}}],"clientRequestToken":"t"}"""),
            JsonNode.Parse(handler.Single.BodyText)));
    }

    [Fact]
    public async Task Names_are_percent_encoded_as_single_segments()
    {
        var handler = new StubHandler().Respond(HttpStatusCode.OK, """{"nodegroup":{"nodegroupName":"a b","status":"ACTIVE"}}""");
        await TestClients.Eks(handler).DescribeNodegroupAsync("c/1", "a b");
        Assert.Equal("/clusters/c%2F1/node-groups/a%20b", handler.Single.Uri.AbsolutePath);
        SigV4Check.Verify(handler.Single, TestClients.SecretKey);
    }

    [Fact]
    public async Task DescribeClusterVersions_reads_every_page_and_maps_status_and_default()
    {
        // Page 1 in the model's spelling; page 2 carries only the deprecated lower-case status, and a status AWS may add later.
        var handler = new StubHandler()
            .Respond(HttpStatusCode.OK, """
                {"clusterVersions":[
                  {"clusterVersion":"1.35","clusterType":"eks","defaultPlatformVersion":"eks.3","defaultVersion":false,"releaseDate":1769472000,
                   "endOfStandardSupportDate":1806105600,"endOfExtendedSupportDate":1837641600.5,"status":"STANDARD_SUPPORT","versionStatus":"STANDARD_SUPPORT","kubernetesPatchVersion":"1.35.1"},
                  {"clusterVersion":"1.34","clusterType":"eks","defaultPlatformVersion":"eks.9","defaultVersion":true,"versionStatus":"STANDARD_SUPPORT"}],
                 "nextToken":"page-2"}
                """)
            .Respond(HttpStatusCode.OK, """
                {"clusterVersions":[
                  {"clusterVersion":"1.32","defaultVersion":false,"status":"extended-support"},
                  {"clusterVersion":"1.31","versionStatus":"RETIREMENT_PENDING"}],
                 "nextToken":null}
                """);
        var eks = TestClients.Eks(handler);

        var versions = await eks.DescribeClusterVersionsAsync();

        Assert.Equal(["1.35", "1.34", "1.32", "1.31"], versions.Select(v => v.Version));
        Assert.Equal(
            [KubernetesVersionSupport.Standard, KubernetesVersionSupport.Standard, KubernetesVersionSupport.Extended, KubernetesVersionSupport.Unknown],
            versions.Select(v => v.Support));
        Assert.Equal("1.34", Assert.Single(versions, v => v.IsDefault).Version);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1806105600), versions[0].EndOfStandardSupport);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1837641600500), versions[0].EndOfExtendedSupport);
        Assert.Equal("eks.3", versions[0].DefaultPlatformVersion);
        Assert.Null(versions[2].EndOfStandardSupport);

        Assert.Equal(["/cluster-versions?maxResults=100", "/cluster-versions?maxResults=100&nextToken=page-2"], handler.Requests.Select(r => r.Uri.PathAndQuery));
        Assert.All(handler.Requests, r =>
        {
            Assert.Equal(HttpMethod.Get, r.Method);
            Assert.Empty(r.Body);
            var scope = SigV4Check.Verify(r, TestClients.SecretKey);
            Assert.Equal(("us-west-2", "eks"), (scope.Region, scope.Service));
        });
    }

    [Fact]
    public async Task DescribeClusterVersions_stops_when_EKS_hands_back_the_token_it_was_sent()
    {
        var handler = new StubHandler().Respond(HttpStatusCode.OK, """{"clusterVersions":[{"clusterVersion":"1.34"}],"nextToken":"same"}""");

        var error = await Assert.ThrowsAsync<AwsApiException>(() => TestClients.Eks(handler).DescribeClusterVersionsAsync());

        Assert.Equal("MalformedResponse", error.Code);
        Assert.Equal(2, handler.Requests.Count);
    }
}
