# pushpin-java in a container (docs/install.md#docker). Not built on this project's machines (no container runtime
# or registry there): the stages do what scripts/test-dist.sh does with the tarball.
#   docker build -t pushpin-java .
#   docker run -p 7999:7999 -p 5561:5561 -v $PWD/routes:/opt/pushpin-java/conf/routes pushpin-java

# 1. the release tarball, built as everywhere else (mvn -Pdist)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -Pdist -pl dist -am package -DskipTests \
 && mkdir /out && tar -xzf dist/target/pushpin-java-*.tar.gz -C /out && mv /out/pushpin-java-* /out/pushpin-java

# 2. the unpacked release on a Java runtime
FROM eclipse-temurin:17-jre
COPY --from=build /out/pushpin-java /opt/pushpin-java
# Publishers reach the control API and the ZeroMQ inputs from outside the container: bind them on every interface
# (127.0.0.1 in a container is the container alone).
RUN sed -i -e 's/^push_in_http_addr=127.0.0.1/push_in_http_addr=0.0.0.0/' \
           -e 's|tcp://127.0.0.1:|tcp://*:|' /opt/pushpin-java/conf/pushpin.conf \
 && useradd --system --no-create-home pushpin-java
USER pushpin-java
# client HTTP; control API; ZeroMQ PULL, SUB and command sockets
EXPOSE 7999 5561 5560 5562 5563
# SIGTERM drains held clients for [runner] shutdown_grace (10 s): give docker stop more (--time 15)
STOPSIGNAL SIGTERM
ENTRYPOINT ["/opt/pushpin-java/bin/pushpin", "--merge-output"]
