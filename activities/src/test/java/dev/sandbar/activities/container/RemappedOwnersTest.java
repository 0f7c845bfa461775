package dev.sandbar.activities.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.activities.archive.OwnerShift;
import org.junit.jupiter.api.Test;

class RemappedOwnersTest {

  @Test
  void aRemappedDaemonsRootDirectoryNamesItsBase() {
    assertThat(RemappedOwners.fromRootDir("/var/lib/docker/100000.100000"))
        .isEqualTo(new OwnerShift(100000, 100000));
    assertThat(RemappedOwners.fromRootDir("/srv/docker/231072.231073/"))
        .isEqualTo(new OwnerShift(231072, 231073));
  }

  @Test
  void anyOtherRootDirectoryMeansNoShift() {
    assertThat(RemappedOwners.fromRootDir("/var/lib/docker")).isEqualTo(OwnerShift.NONE);
    assertThat(RemappedOwners.fromRootDir("/var/lib/sandbar-host2")).isEqualTo(OwnerShift.NONE);
    assertThat(RemappedOwners.fromRootDir(null)).isEqualTo(OwnerShift.NONE);
  }
}
