using System.Net;
using System.Text.Json.Nodes;
using EksOperator.Aws.Iam;
using EksOperator.Aws.Tests.Support;

namespace EksOperator.Aws.Tests.Wire;

public sealed class IamWireTests
{
    private const string TrustPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"eks.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    // GetRole as IAM sends it: the trust policy URL-encoded (RFC 3986), lists wrapped in <member>.
    private static readonly string GetRoleResponse = $"""
        <GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
          <GetRoleResult>
            <Role>
              <Path>/eks/</Path>
              <AssumeRolePolicyDocument>{Uri.EscapeDataString(TrustPolicy)}</AssumeRolePolicyDocument>
              <MaxSessionDuration>3600</MaxSessionDuration>
              <RoleId>AROAEXAMPLEEXAMPLE123</RoleId>
              <RoleLastUsed/>
              <RoleName>devel-cluster</RoleName>
              <Description>EKS cluster role</Description>
              <Arn>arn:aws:iam::123456789012:role/eks/devel-cluster</Arn>
              <CreateDate>2026-11-01T10:20:30Z</CreateDate>
              <Tags>
                <member><Key>eks-operator/owner-uid</Key><Value>1234</Value></member>
                <member><Key>team</Key><Value>a</Value></member>
              </Tags>
            </Role>
          </GetRoleResult>
          <ResponseMetadata><RequestId>df37e965-9967-11e1-a4c3-270EXAMPLE04</RequestId></ResponseMetadata>
        </GetRoleResponse>
        """;

    [Fact]
    public async Task GetRole_decodes_the_url_encoded_trust_policy()
    {
        var handler = new StubHandler().Respond(HttpStatusCode.OK, GetRoleResponse, "text/xml");
        var role = await TestClients.Iam(handler).GetRoleAsync("devel-cluster");

        Assert.NotNull(role);
        Assert.Equal(TrustPolicy, role.AssumeRolePolicyDocument);
        Assert.Equal("arn:aws:iam::123456789012:role/eks/devel-cluster", role.Arn);
        Assert.Equal(("devel-cluster", "/eks/", "AROAEXAMPLEEXAMPLE123"), (role.RoleName, role.Path, role.RoleId));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 10, 20, 30, TimeSpan.Zero), role.CreateDate);
        Assert.Equal(3600, role.MaxSessionDuration);
        Assert.Equal("EKS cluster role", role.Description);
        Assert.Equal(new Dictionary<string, string> { ["eks-operator/owner-uid"] = "1234", ["team"] = "a" }, role.Tags);

        var request = handler.Single;
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/", request.Uri.AbsolutePath);
        Assert.Equal("application/x-www-form-urlencoded; charset=utf-8", request.Header("content-type"));
        Assert.Equal("Action=GetRole&Version=2010-05-08&RoleName=devel-cluster", request.BodyText);
        var scope = SigV4Check.Verify(request, TestClients.SecretKey);
        Assert.Equal(("us-east-1", "iam"), (scope.Region, scope.Service));
    }

    [Fact]
    public async Task CreateRole_form_encodes_the_policy_and_tags()
    {
        var handler = new StubHandler().Respond(HttpStatusCode.OK, GetRoleResponse.Replace("GetRole", "CreateRole", StringComparison.Ordinal), "text/xml");
        var role = await TestClients.Iam(handler).CreateRoleAsync(new CreateRoleRequest
        {
            RoleName = "devel-cluster",
            AssumeRolePolicyDocument = TrustPolicy,
            Path = "/eks/",
            Description = "EKS cluster role",
            Tags = new Dictionary<string, string> { ["team"] = "a", ["eks-operator/owner-uid"] = "1234" },
        });

        Assert.Equal("devel-cluster", role.RoleName);
        Assert.Equal(TrustPolicy, role.AssumeRolePolicyDocument);
        Assert.Equal(
            "Action=CreateRole&Version=2010-05-08&RoleName=devel-cluster&AssumeRolePolicyDocument=" + Uri.EscapeDataString(TrustPolicy)
            + "&Path=%2Feks%2F&Description=EKS%20cluster%20role"
            + "&Tags.member.1.Key=eks-operator%2Fowner-uid&Tags.member.1.Value=1234&Tags.member.2.Key=team&Tags.member.2.Value=a",
            handler.Single.BodyText);
        SigV4Check.Verify(handler.Single, TestClients.SecretKey);
    }

    [Fact]
    public async Task Actions_without_output_accept_a_metadata_only_response()
    {
        const string Empty = """<{0}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></{0}Response>""";
        var handler = new StubHandler()
            .Respond(HttpStatusCode.OK, string.Format(System.Globalization.CultureInfo.InvariantCulture, Empty, "AttachRolePolicy"), "text/xml")
            .Respond(HttpStatusCode.OK, string.Format(System.Globalization.CultureInfo.InvariantCulture, Empty, "DetachRolePolicy"), "text/xml")
            .Respond(HttpStatusCode.OK, string.Format(System.Globalization.CultureInfo.InvariantCulture, Empty, "TagRole"), "text/xml")
            .Respond(HttpStatusCode.OK, string.Format(System.Globalization.CultureInfo.InvariantCulture, Empty, "DeleteRole"), "text/xml");
        var iam = TestClients.Iam(handler);

        await iam.AttachRolePolicyAsync("r", "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy");
        await iam.DetachRolePolicyAsync("r", "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy");
        await iam.TagRoleAsync("r", new Dictionary<string, string> { ["k"] = "v" });
        await iam.DeleteRoleAsync("r");

        Assert.Equal(
            [
                "Action=AttachRolePolicy&Version=2010-05-08&RoleName=r&PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FAmazonEKSClusterPolicy",
                "Action=DetachRolePolicy&Version=2010-05-08&RoleName=r&PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FAmazonEKSClusterPolicy",
                "Action=TagRole&Version=2010-05-08&RoleName=r&Tags.member.1.Key=k&Tags.member.1.Value=v",
                "Action=DeleteRole&Version=2010-05-08&RoleName=r",
            ],
            handler.Requests.Select(r => r.BodyText));
    }

    [Fact]
    public async Task ListAttachedRolePolicies_reads_members_truncation_and_marker()
    {
        var handler = new StubHandler().Respond(HttpStatusCode.OK, """
            <ListAttachedRolePoliciesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
              <ListAttachedRolePoliciesResult>
                <AttachedPolicies>
                  <member><PolicyName>AmazonEKSWorkerNodePolicy</PolicyName><PolicyArn>arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy</PolicyArn></member>
                  <member><PolicyName>AmazonEKS_CNI_Policy</PolicyName><PolicyArn>arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy</PolicyArn></member>
                </AttachedPolicies>
                <IsTruncated>true</IsTruncated>
                <Marker>next-page</Marker>
              </ListAttachedRolePoliciesResult>
              <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>
            </ListAttachedRolePoliciesResponse>
            """, "text/xml");

        var page = await TestClients.Iam(handler).ListAttachedRolePoliciesAsync("node", marker: "m1", maxItems: 2);

        Assert.Equal(
            [new AttachedPolicy("AmazonEKSWorkerNodePolicy", "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"), new AttachedPolicy("AmazonEKS_CNI_Policy", "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy")],
            page.AttachedPolicies);
        Assert.True(page.IsTruncated);
        Assert.Equal("next-page", page.Marker);
        Assert.Equal("Action=ListAttachedRolePolicies&Version=2010-05-08&RoleName=node&Marker=m1&MaxItems=2", handler.Single.BodyText);
    }

    [Fact]
    public async Task Error_response_keeps_code_message_and_request_id()
    {
        // Verbatim shape of a real IAM error (reference §4).
        var handler = new StubHandler().Respond(HttpStatusCode.Conflict, """
            <ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
              <Error><Type>Sender</Type><Code>DeleteConflict</Code><Message>Cannot delete entity, must detach all policies first.</Message></Error>
              <RequestId>8a1d0ef2-0000-4000-8000-000000000001</RequestId>
            </ErrorResponse>
            """, "text/xml");

        var error = await Assert.ThrowsAsync<AwsApiException>(() => TestClients.Iam(handler).DeleteRoleAsync("r"));

        Assert.Equal("DeleteConflict", error.Code);
        Assert.Equal("Cannot delete entity, must detach all policies first.", error.Message);
        Assert.Equal("8a1d0ef2-0000-4000-8000-000000000001", error.RequestId);
        Assert.Equal(HttpStatusCode.Conflict, error.HttpStatus);
        Assert.Equal(AwsErrorKind.InUse, error.Kind);
        Assert.Equal("iam", error.Service);
    }

    [Theory]
    [InlineData("NoSuchEntity", HttpStatusCode.NotFound, AwsErrorKind.NotFound)]
    [InlineData("EntityAlreadyExists", HttpStatusCode.Conflict, AwsErrorKind.AlreadyExists)]
    [InlineData("LimitExceeded", HttpStatusCode.Conflict, AwsErrorKind.LimitExceeded)]
    [InlineData("MalformedPolicyDocument", HttpStatusCode.BadRequest, AwsErrorKind.Invalid)]
    [InlineData("Throttling", HttpStatusCode.BadRequest, AwsErrorKind.Throttled)]
    [InlineData("ServiceFailure", HttpStatusCode.InternalServerError, AwsErrorKind.Transient)]
    [InlineData("SignatureDoesNotMatch", HttpStatusCode.Forbidden, AwsErrorKind.AccessDenied)]
    public async Task Iam_error_codes_are_classified(string code, HttpStatusCode status, AwsErrorKind kind)
    {
        var handler = new StubHandler().Respond(status, $"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>", "text/xml");
        var options = TestClients.Options() with { MaxAttempts = 1 };
        var error = await Assert.ThrowsAsync<AwsApiException>(() => TestClients.Iam(handler, options).AttachRolePolicyAsync("r", "p"));
        Assert.Equal((code, kind, "r"), (error.Code, error.Kind, error.RequestId));
    }

    [Fact]
    public async Task GetRole_returns_null_for_NoSuchEntity()
    {
        var handler = new StubHandler().Respond(HttpStatusCode.NotFound, "<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role with name r cannot be found.</Message></Error><RequestId>r</RequestId></ErrorResponse>", "text/xml");
        Assert.Null(await TestClients.Iam(handler).GetRoleAsync("r"));
    }

    [Fact]
    public void Policy_documents_already_in_json_are_not_decoded_twice()
    {
        const string WithPercent = """{"Condition":{"StringLike":{"x":"100%"}}}""";
        Assert.Equal(WithPercent, IamClient.DecodePolicy(WithPercent));
        Assert.Equal(WithPercent, IamClient.DecodePolicy(Uri.EscapeDataString(WithPercent)));
        Assert.NotNull(JsonNode.Parse(IamClient.DecodePolicy(Uri.EscapeDataString(TrustPolicy))));
    }
}
