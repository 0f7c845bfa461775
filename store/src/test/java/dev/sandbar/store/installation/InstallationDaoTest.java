package dev.sandbar.store.installation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.store.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class InstallationDaoTest {

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  @Test
  void theFirstIdStoredIsTheInstallationIdForever() {
    POSTGRES.truncate("installation");
    InstallationDao dao = POSTGRES.jdbi().onDemand(InstallationDao.class);

    assertThat(dao.find()).isEmpty();
    assertThat(dao.ensure("inst-first")).isEqualTo("inst-first");
    assertThat(dao.ensure("inst-second")).isEqualTo("inst-first");
    assertThat(dao.find()).contains("inst-first");
  }
}
