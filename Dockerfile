# syntax=docker/dockerfile:1
# The operator image: built on the .NET SDK, run on a chiseled ASP.NET Core runtime
# (no shell, no package manager, non-root), ready for readOnlyRootFilesystem with an emptyDir at /tmp.
#   docker build -t eks-operator:0.1.0 .

ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /source
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Restore first, from the build settings and project files only, so that source edits reuse this layer.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Entities/EksOperator.Entities.csproj src/Entities/
COPY src/Operator/Runtime/EksOperator.Runtime.csproj src/Operator/Runtime/
COPY src/Operator/Aws/EksOperator.Aws.csproj src/Operator/Aws/
COPY src/Operator/EksOperator.csproj src/Operator/
RUN ["dotnet", "restore", "src/Operator/EksOperator.csproj"]

# Then the sources of the operator and the projects it references.
COPY src/Entities/ src/Entities/
COPY src/Operator/ src/Operator/
RUN ["dotnet", "publish", "src/Operator/EksOperator.csproj", "--no-restore", "-c", "Release", "-o", "/app", "-p:UseAppHost=false"]

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble-chiseled AS final
WORKDIR /app
# Nothing writes outside /tmp: no diagnostics IPC sockets, temp files in /tmp (an emptyDir in the chart).
# Listen is the operator's probe and metrics address (its own setting; it takes precedence over ASPNETCORE_*).
ENV DOTNET_EnableDiagnostics=0 \
    TMPDIR=/tmp \
    Listen=http://0.0.0.0:8080
COPY --from=build /app ./
# The chiseled images define APP_UID (1654), a non-root user with no shell.
USER $APP_UID
EXPOSE 8080
ENTRYPOINT ["dotnet", "/app/EksOperator.dll"]
