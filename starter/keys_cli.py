"""`yuqing keys create`: the deployment's first encryption key (加密密钥), in its data directory."""

import argparse

from starter.cli_support import Connect


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    keys = commands.add_parser("keys", parents=[common], help="加密密钥 / encryption keys")
    keys.add_argument("action", choices=["create"],
                      help="create: 在 $YUQING_HOME/keys.json 创建首个密钥 / a first key (kept if present)")
    keys.set_defaults(handler=run_keys, quiet=True)


def run_keys(args: argparse.Namespace, connect: Connect) -> int:
    """A first key in the data directory; an existing keys file is kept as it is."""
    from settings.keys import create_keys_file, keys_file
    existed = keys_file().exists()
    path = create_keys_file()
    print(f"{'已有密钥，未改动 / kept the existing keys' if existed else '已创建密钥 / created'}: "
          f"{path}（请与归档同样妥善备份 / back it up like the archive）")
    return 0
