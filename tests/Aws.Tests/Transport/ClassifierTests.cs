using System.Net;

namespace EksOperator.Aws.Tests.Transport;

public sealed class ClassifierTests
{
    [Theory]
    [InlineData("InvalidSubnetID.NotFound", HttpStatusCode.BadRequest, null, AwsErrorKind.NotFound)]
    [InlineData("InvalidVpcID.NotFound", HttpStatusCode.BadRequest, null, AwsErrorKind.NotFound)]
    [InlineData("RequestLimitExceeded", HttpStatusCode.ServiceUnavailable, null, AwsErrorKind.Throttled)]
    [InlineData("TooManyRequestsException", HttpStatusCode.TooManyRequests, null, AwsErrorKind.Throttled)]
    [InlineData("Anything", HttpStatusCode.TooManyRequests, null, AwsErrorKind.Throttled)]
    [InlineData("InternalError", HttpStatusCode.InternalServerError, null, AwsErrorKind.Transient)]
    [InlineData("Weird", HttpStatusCode.BadGateway, null, AwsErrorKind.Transient)]
    [InlineData("UnauthorizedOperation", HttpStatusCode.Forbidden, null, AwsErrorKind.AccessDenied)]
    [InlineData("InvalidSubnetID.Malformed", HttpStatusCode.BadRequest, null, AwsErrorKind.Invalid)]
    [InlineData("ResourceInUseException", HttpStatusCode.Conflict, "NodeGroup already exists with name ng and cluster name c", AwsErrorKind.AlreadyExists)]
    [InlineData("ResourceInUseException", HttpStatusCode.Conflict, "Cannot delete Fargate Profile p2 because cluster c currently has Fargate profile p1 in status DELETING", AwsErrorKind.InUse)]
    [InlineData("ResourcePropagationDelayException", (HttpStatusCode)428, null, AwsErrorKind.Transient)]
    [InlineData("Unheard", HttpStatusCode.OK, null, AwsErrorKind.Unknown)]
    [InlineData("InvalidParameterException", HttpStatusCode.BadRequest, "Role with arn: arn:aws:iam::123456789012:role/a, could not be assumed because it does not exist or the trusted entity is not correct", AwsErrorKind.NotYetPropagated)]
    [InlineData("InvalidParameterException", HttpStatusCode.BadRequest, "The role arn:aws:iam::1:role/r cannot be assumed by eks.amazonaws.com", AwsErrorKind.NotYetPropagated)]
    [InlineData("InvalidParameterException", HttpStatusCode.BadRequest, "User: arn:aws:sts::1:assumed-role/x is not authorized to perform: sts:AssumeRole", AwsErrorKind.NotYetPropagated)]
    [InlineData("InvalidParameterException", HttpStatusCode.BadRequest, "unsupported Kubernetes version", AwsErrorKind.Invalid)]
    public void Codes_map_to_kinds(string code, HttpStatusCode status, string? message, AwsErrorKind expected) =>
        Assert.Equal(expected, AwsErrorClassifier.Classify(code, status, message));
}
