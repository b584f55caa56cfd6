"""Queued imports in chunks that any task worker takes; an index on Article.url.

The importer looks up every chunk's URLs (a re-import of the same page updates it): without an
index that is a scan of the whole table per chunk. A hash index on PostgreSQL (equality is all it
serves, and a long URL of non-ASCII characters would not fit a btree row); a plain one on SQLite,
made with SQL so that the table is not rebuilt (its raw indexes of 0004/0005 would go).
"""
import django.db.models.deletion
from django.db import migrations, models


def add_url_index(apps, schema_editor):
    using = "USING hash " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS article_url_idx ON articles_article {using}(url)")


def drop_url_index(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS article_url_idx")


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0012_search_document_public_checked_at_query_time'),
    ]

    operations = [
        migrations.CreateModel(
            name='ImportChunk',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField(verbose_name='序号')),
                ('inputs', models.JSONField(default=list, verbose_name='文件')),
                ('state', models.CharField(choices=[('pending', '等待'), ('running', '进行中'), ('done', '完成')], default='pending', max_length=12, verbose_name='状态')),
                ('processed', models.PositiveIntegerField(default=0, verbose_name='已处理')),
                ('counts', models.JSONField(blank=True, default=dict, verbose_name='统计')),
                ('claim', models.PositiveIntegerField(default=0, verbose_name='领取次数')),
                ('host', models.CharField(blank=True, max_length=255, verbose_name='主机')),
                ('pid', models.PositiveIntegerField(blank=True, null=True, verbose_name='进程号')),
                ('heartbeat_at', models.DateTimeField(blank=True, null=True, verbose_name='最近进展')),
                ('batch', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='chunks', to='articles.importbatch')),
            ],
            options={
                'verbose_name': '导入分块',
                'verbose_name_plural': '导入分块',
                'ordering': ['batch', 'number'],
            },
        ),
        migrations.AddField(
            model_name='importrecord',
            name='chunk',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='records', to='articles.importchunk'),
        ),
        migrations.AddConstraint(
            model_name='importchunk',
            constraint=models.UniqueConstraint(fields=('batch', 'number'), name='import_chunk_number_unique'),
        ),
        migrations.RunPython(add_url_index, drop_url_index),
    ]
